'use server';

import { z } from 'zod';
import { apiKeyFailure, requireApiKeyManager, type ApiKeyActionResult } from '@/lib/api-keys/admin';
import { revokeApiKey, type ApiKey } from '@/lib/api-keys/store';

const revokeApiKeySchema = z.strictObject({ apiKeyId: z.string().min(1).max(100) });

/** Revokes an API key; its next request is refused. */
export async function revokeApiKeyAction(input: unknown): Promise<ApiKeyActionResult<ApiKey>> {
  const guard = await requireApiKeyManager();
  if (!guard.ok) return guard;
  const parsed = revokeApiKeySchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: 'Not an API key.' };
  try {
    return { ok: true, data: await revokeApiKey(parsed.data.apiKeyId, guard.actor) };
  } catch (err) {
    return apiKeyFailure(err);
  }
}
