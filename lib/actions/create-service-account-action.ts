'use server';

import { z } from 'zod';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { ApiKeyError, createServiceAccount, type ServiceAccount } from '@/lib/api-keys/store';

const createServiceAccountSchema = z.strictObject({ name: z.string().trim().min(1, 'Enter a name.').max(63, 'At most 63 characters.') });

/** A named owner for API keys that is not a person. */
export async function createServiceAccountAction(input: unknown): Promise<Result<ServiceAccount>> {
  const auth = await authorize({ permission: 'apikeys.manage' });
  if (!auth.ok) return auth;
  const parsed = createServiceAccountSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues.map((i) => ({ ...i, path: ['serviceAccount'] })));
  try {
    return ok(await createServiceAccount(parsed.data.name, auth.actor));
  } catch (err) {
    if (err instanceof ApiKeyError) return fail('INVALID_INPUT', err.message, { fieldErrors: { serviceAccount: err.message } });
    return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
  }
}
