import { readAuditEvents, parseEventsQuery } from '@/lib/audit/events-api';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

/**
 * GET /api/v1/audit/events?after=<seq>&limit=<n>: audit entries with seq above `after`, oldest
 * first, exactly as chained, for API keys whose role may read the audit log (lib/audit/events-api.ts).
 */
export async function GET(request: Request): Promise<Response> {
  const auth = await authorize({ permission: 'audit.read', apiKeyFrom: request });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  const query = parseEventsQuery(new URL(request.url).searchParams);
  if (!query.ok) return failureResponse(query);
  try {
    return jsonResponse(await readAuditEvents(query.data.after, query.data.limit));
  } catch (err) {
    log.error({ event: 'audit.events_failed', err: err instanceof Error ? err.message : String(err) }, 'audit events read failed');
    return failureResponse(fail('AUDIT_UNAVAILABLE', 'The audit log could not be read just now. Try again shortly.', { retryable: true }));
  }
}
