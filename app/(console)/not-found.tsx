import { NotFoundBody } from '@/components/shell/not-found-body';

/** notFound() from a console page without a not-found of its own: inside the console layout. */
export default function ConsoleNotFound() {
  return <NotFoundBody path={null} signedIn />;
}
