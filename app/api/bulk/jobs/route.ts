import { readJsonBody } from '@/lib/api/http';
import { startBulkJob } from '@/lib/bulk/runner';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { BULK_CSV_MAX_CHARS } from '@/lib/shared/bulk/schema';

export const dynamic = 'force-dynamic';

// A CSV of BULK_CSV_MAX_CHARS characters is at most 4 bytes per character in UTF-8, plus the JSON around it.
export const BULK_MAX_BODY_BYTES = BULK_CSV_MAX_CHARS * 4 + 64 * 1024;

function crossSite(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/**
 * POST /api/bulk/jobs: starts a bulk mint job and answers at once with its id. A route handler
 * rather than a server action because a 10,000-row CSV is far over the actions' 64 KB body limit
 * (next.config.mjs), which stays small for every other action. Cookie-authenticated, so it refuses
 * cross-site requests itself: JSON only (a cross-site form cannot send it without a CORS
 * preflight, which is never granted) and, when the browser sends one, a same-host Origin.
 */
export async function POST(request: Request): Promise<Response> {
  const auth = await authorize({ permission: 'mint' });
  if (!auth.ok) return failureResponse(auth);
  if (crossSite(request)) return failureResponse(fail('FORBIDDEN', 'Cross-site requests are refused.'));
  const body = await readJsonBody(request, {
    maxBytes: BULK_MAX_BODY_BYTES,
    tooLargeHint: 'Split the CSV into smaller batches.',
  });
  if (!body.ok) return failureResponse(body);
  try {
    const result = await startBulkJob({ id: auth.actor.staffId, email: auth.actor.email, role: auth.role }, body.body);
    if (!result.ok) return failureResponse(result);
    return jsonResponse(result, 202, { Location: `/bulk/${result.id}` });
  } catch (err) {
    log.error({ event: 'bulk.start_failed', err: err instanceof Error ? err.message : String(err) }, 'bulk job could not start');
    return failureResponse(
      fail('AUDIT_UNAVAILABLE', 'The bulk job could not be started (the console database may be unavailable). Nothing was minted.', {
        retryable: true,
      }),
    );
  }
}
