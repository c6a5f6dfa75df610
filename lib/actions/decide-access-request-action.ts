'use server';

import { decideAccessRequest, type AccessRequestView } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';
import { fail, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';

/** Approves or denies a request with a comment: approver roles only, never the requester. */
export async function decideAccessRequestAction(id: unknown, input: unknown): Promise<Result<AccessRequestView>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  try {
    return await decideAccessRequest(auth, id, input);
  } catch (err) {
    log.error({ event: 'access.decide_failed', err: err instanceof Error ? err.message : String(err) }, 'decide action failed');
    return fail('INTERNAL', 'Something went wrong on the server; nothing was decided.');
  }
}
