// Not above the [id] page: a loading boundary starts the response as 200 before the page can say
// "not found" (Next streams from the boundary), and another member's job or an unknown record is a 404.
export { PageLoading as default } from '@/components/shell/page-loading';
