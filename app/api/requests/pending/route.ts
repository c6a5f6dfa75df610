import { countDecidable } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';

export const dynamic = 'force-dynamic';

/** GET /api/requests/pending: how many pending requests the signed-in member may decide (the inbox badge polls it). */
export async function GET(): Promise<Response> {
  const auth = await authorize();
  if (!auth.ok) return failureResponse(auth);
  try {
    return jsonResponse({ ok: true, data: { pending: await countDecidable(auth) } });
  } catch {
    return failureResponse(fail('AUDIT_UNAVAILABLE', 'The console database could not be read. Try again shortly.', { retryable: true }));
  }
}
