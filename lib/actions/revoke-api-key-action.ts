'use server';

import { z } from 'zod';
import { apiKeyFailure } from '@/lib/api-keys/admin';
import { revokeApiKey, type ApiKey } from '@/lib/api-keys/store';
import { authorize } from '@/lib/contract/guard';
import { invalidInput, ok, type Result } from '@/lib/contract/result';

const revokeApiKeySchema = z.strictObject({ apiKeyId: z.string().min(1).max(100) });

/** Revokes an API key; its next request is refused. */
export async function revokeApiKeyAction(input: unknown): Promise<Result<ApiKey>> {
  const auth = await authorize({ permission: 'apikeys.manage' });
  if (!auth.ok) return auth;
  const parsed = revokeApiKeySchema.safeParse(input);
  if (!parsed.success) return { ...invalidInput(parsed.error.issues), message: 'Not an API key.' };
  try {
    return ok(await revokeApiKey(parsed.data.apiKeyId, auth.actor));
  } catch (err) {
    return apiKeyFailure(err);
  }
}
