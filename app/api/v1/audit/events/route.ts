import { apiJson } from '@/lib/api/http';
import { readAuditEvents, parseEventsQuery } from '@/lib/audit/events-api';
import { authorize } from '@/lib/contract/guard';
import { fail, type Failure } from '@/lib/contract/result';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

const STATUS: Partial<Record<Failure['code'], number>> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  AUDIT_UNAVAILABLE: 503,
};
const failure = (f: Failure) =>
  apiJson(f, STATUS[f.code] ?? 500, f.code === 'UNAUTHENTICATED' ? { 'WWW-Authenticate': 'Bearer realm="ivs-chat-console"' } : {});

/**
 * GET /api/v1/audit/events?after=<seq>&limit=<n>: audit entries with seq above `after`, oldest
 * first, for API keys whose role may read the audit log (lib/audit/events-api.ts).
 */
export async function GET(request: Request): Promise<Response> {
  const auth = await authorize({ permission: 'audit.read', apiKeyFrom: request });
  if (!auth.ok) return failure(auth);
  const query = parseEventsQuery(new URL(request.url).searchParams);
  if (!query.ok) return failure(query);
  try {
    return apiJson(await readAuditEvents(query.data.after, query.data.limit));
  } catch (err) {
    log.error({ event: 'audit.events_failed', err: err instanceof Error ? err.message : String(err) }, 'audit events read failed');
    return failure(fail('AUDIT_UNAVAILABLE', 'The audit log could not be read just now. Try again shortly.', { retryable: true }));
  }
}
