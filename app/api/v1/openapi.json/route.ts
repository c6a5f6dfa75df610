import { openApiDocument } from '@/lib/api/openapi';

export const dynamic = 'force-static';

/** GET /api/v1/openapi.json: the API's description; public (it holds no secrets). */
export function GET(): Response {
  return Response.json(openApiDocument, { headers: { 'Cache-Control': 'public, max-age=300' } });
}
