'use server';

import { z } from 'zod';
import { apiKeyFailure, requireApiKeyManager, type ApiKeyActionResult } from '@/lib/api-keys/admin';
import { createApiKey, type ApiKey } from '@/lib/api-keys/store';
import { ROLES } from '@/lib/shared/policy/roles';

const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'Enter a name.').max(63, 'At most 63 characters.'),
  role: z.enum(ROLES, { error: `A role is one of ${ROLES.join(', ')}.` }),
  owner: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('staff'), email: z.string().trim().min(1).max(320) }),
      z.strictObject({ kind: z.literal('service'), name: z.string().trim().min(1).max(63) }),
    ])
    .optional(),
});

/** Creates an API key; the key is returned this once and only its hash is stored. */
export async function createApiKeyAction(input: unknown): Promise<ApiKeyActionResult<{ apiKey: ApiKey; key: string }>> {
  const guard = await requireApiKeyManager();
  if (!guard.ok) return guard;
  const parsed = createApiKeySchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join('.') || 'form'] ??= issue.message;
    return { ok: false, message: 'Some fields need attention.', fieldErrors };
  }
  try {
    return { ok: true, data: await createApiKey(parsed.data, guard.actor) };
  } catch (err) {
    return apiKeyFailure(err);
  }
}
