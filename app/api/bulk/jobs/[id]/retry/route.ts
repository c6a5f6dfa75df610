import { isSameOrigin } from '@/lib/api/origin';
import { retryBulkJob } from '@/lib/bulk/runner';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

/**
 * POST /api/bulk/jobs/{id}/retry: a new bulk job for exactly the failed rows of a finished job,
 * answered at once with its id. The owner only; the owner's right to mint is checked as it is now,
 * and the new job goes through the same validation, policy, rate limit and per-row audit as any
 * other. A POST from the console's own pages (Origin checked), like the download.
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authorize({ permission: 'mint' });
  if (!auth.ok) return failureResponse(auth);
  if (!isSameOrigin(request, { required: true })) {
    return failureResponse(fail('FORBIDDEN', 'Cross-site requests are refused: retry from the bulk job page.'));
  }
  const { id } = await params;
  try {
    const result = await retryBulkJob({ id: auth.actor.staffId, email: auth.actor.email, role: auth.role }, id);
    if (!result.ok) return failureResponse(result);
    return jsonResponse(result, 202, { Location: `/bulk/${result.id}` });
  } catch (err) {
    log.error({ event: 'bulk.retry_failed', err: err instanceof Error ? err.message : String(err) }, 'bulk retry could not start');
    return failureResponse(
      fail('AUDIT_UNAVAILABLE', 'The retry could not be started (the console database may be unavailable). Nothing was minted.', {
        retryable: true,
      }),
    );
  }
}
