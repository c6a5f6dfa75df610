'use server';

import { z } from 'zod';
import { apiKeyFailure } from '@/lib/api-keys/admin';
import { createApiKey, type ApiKey } from '@/lib/api-keys/store';
import { authorize } from '@/lib/contract/guard';
import { invalidInput, ok, type Result } from '@/lib/contract/result';
import { ROLES } from '@/lib/shared/policy/roles';

const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name.').max(63, 'At most 63 characters.'),
  role: z.enum(ROLES, { error: `A role is one of ${ROLES.join(', ')}.` }),
});

/** Creates an API key; the key is returned this once and only its hash is stored. */
export async function createApiKeyAction(input: unknown): Promise<Result<{ apiKey: ApiKey; key: string }>> {
  const auth = await authorize({ permission: 'apikeys.manage' });
  if (!auth.ok) return auth;
  const parsed = createApiKeySchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  try {
    return ok(await createApiKey(parsed.data, auth.actor));
  } catch (err) {
    return apiKeyFailure(err);
  }
}
