'use server';

import { cancelBulkJob } from '@/lib/bulk/runner';
import { authorize } from '@/lib/contract/guard';
import { fail, ok, type Result } from '@/lib/contract/result';

/** Stops a running bulk job of the signed-in member: rows in flight finish, the rest are skipped. */
export async function cancelBulkJobAction(id: unknown): Promise<Result<{ id: string }>> {
  const auth = await authorize({ permission: 'mint' });
  if (!auth.ok) return auth;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) {
    return fail('INVALID_INPUT', 'No such bulk job.', { fieldErrors: { id: 'Not a bulk job id.' } });
  }
  return cancelBulkJob(auth.actor.staffId, id)
    ? ok({ id })
    : fail('NOT_FOUND', 'This job is not running here (it has finished, or it is not yours).');
}
