import { timingSafeEqual } from 'node:crypto';
import { env } from '@/lib/env';
import { metrics } from '@/lib/ops/metrics';

export const dynamic = 'force-dynamic';

function bearerMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * GET /api/metrics: Prometheus text format, only with `Authorization: Bearer <METRICS_TOKEN>`.
 * Without METRICS_TOKEN it is off (404); METRICS_PORT serves the same on loopback instead.
 */
export async function GET(request: Request): Promise<Response> {
  if (!env.METRICS_TOKEN) {
    return Response.json(
      {
        ok: false,
        code: 'NOT_FOUND',
        message: 'Metrics are off here: set METRICS_TOKEN, or METRICS_PORT for a loopback listener.',
        fieldErrors: {},
      },
      { status: 404, headers: { 'Cache-Control': 'no-store' } },
    );
  }
  if (!bearerMatches(request.headers.get('authorization'), env.METRICS_TOKEN)) {
    return Response.json(
      { ok: false, code: 'UNAUTHENTICATED', message: 'Send the metrics token as Authorization: Bearer <METRICS_TOKEN>.', fieldErrors: {} },
      { status: 401, headers: { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer realm="ivs-chat-console-metrics"' } },
    );
  }
  const registry = metrics().registry;
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' } });
}
