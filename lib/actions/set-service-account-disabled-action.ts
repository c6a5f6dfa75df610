'use server';

import { z } from 'zod';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { ApiKeyError, setServiceAccountDisabled, type ServiceAccount } from '@/lib/api-keys/store';

const schema = z.strictObject({ serviceAccountId: z.string().min(1).max(100), disabled: z.boolean() });

/** Disabling a service account suspends its keys at their next request; enabling resumes them. */
export async function setServiceAccountDisabledAction(input: unknown): Promise<Result<ServiceAccount>> {
  const auth = await authorize({ permission: 'apikeys.manage' });
  if (!auth.ok) return auth;
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  try {
    return ok(await setServiceAccountDisabled(parsed.data.serviceAccountId, parsed.data.disabled, auth.actor));
  } catch (err) {
    if (err instanceof ApiKeyError) return fail('NOT_FOUND', err.message);
    return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
  }
}
