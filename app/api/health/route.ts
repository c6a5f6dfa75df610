export const dynamic = 'force-dynamic';

const startedAt = Date.now();

/** GET /api/health: liveness. The process serves requests; nothing else is checked (see /api/ready). */
export function GET(): Response {
  return Response.json(
    { status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
