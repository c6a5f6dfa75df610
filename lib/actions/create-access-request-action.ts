'use server';

import { createAccessRequest, type AccessRequestView } from '@/lib/approvals/requests';
import { authorize } from '@/lib/contract/guard';
import { fail, type Result } from '@/lib/contract/result';
import { log } from '@/lib/log';

/** Asks for a temporary grant (issue 16); the role's `requests` policy decides what may be asked. */
export async function createAccessRequestAction(input: unknown): Promise<Result<AccessRequestView>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  try {
    return await createAccessRequest(auth, input);
  } catch (err) {
    log.error({ event: 'access.request_failed', err: err instanceof Error ? err.message : String(err) }, 'request action failed');
    return fail('INTERNAL', 'Something went wrong on the server; nothing was asked.');
  }
}
