import { checkReadiness } from '@/lib/ops/readiness';

export const dynamic = 'force-dynamic';

/**
 * GET /api/ready: readiness. 200 when the database takes writes and IVS Chat answers in every
 * configured region; 503 with each failed check otherwise. No secret is in the answer.
 */
export async function GET(): Promise<Response> {
  const { ready, checks } = await checkReadiness();
  return Response.json(
    { status: ready ? 'ready' : 'not ready', checks },
    { status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
