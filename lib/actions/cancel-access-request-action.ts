'use server';

import { cancelAccessRequest, type AccessRequestView } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';
import { fail, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';

/** The requester withdraws a pending request. */
export async function cancelAccessRequestAction(id: unknown): Promise<Result<AccessRequestView>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  try {
    return await cancelAccessRequest(auth, id);
  } catch (err) {
    log.error({ event: 'access.cancel_failed', err: err instanceof Error ? err.message : String(err) }, 'cancel action failed');
    return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
  }
}
