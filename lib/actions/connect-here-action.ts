'use server';

import { rolePolicy } from '@/lib/auth/policy';
import { authorize } from '@/lib/contract/guard';
import { fail, ok, type Result } from '@/lib/contract/result';
import { mintToken } from '@/lib/mint/mint-token';
import { connectHereReason } from '@/lib/shared/moderation/schema';
import { reasonRequired } from '@/lib/shared/policy/rules';
import { mintTokenSchema } from '@/lib/shared/tokens/schema';

export interface ConnectToken {
  token: string;
  tokenExpirationTime: string;
  sessionExpirationTime: string;
  auditId: string;
}

/**
 * "Mint and connect here": a token for this browser's own test connection, through the one mint
 * path (policy, deny list, rate limit, audit), its reason marked "[connect here]". The chat SDK
 * asks again on every reconnect, and each ask is one audited mint. The page hands the token only
 * to the ChatRoom's tokenProvider; it is never shown.
 */
export async function connectHereAction(input: unknown): Promise<Result<ConnectToken>> {
  const auth = await authorize({ permission: 'mint' });
  if (!auth.ok) return auth;
  const parsed = mintTokenSchema.safeParse(input);
  // The marker makes the reason non-empty: check the policy's reason rule on what was typed.
  if (parsed.success && parsed.data.reason.trim() === '') {
    const need = reasonRequired(rolePolicy(auth.role), parsed.data.capabilities);
    if (need.length) {
      const rule = `roles.${auth.role}.reasonRequiredFor`;
      const message = `A reason is required to grant ${need.join(', ')}.`;
      return fail('FORBIDDEN', `${message} (rule ${rule})`, { rule, fieldErrors: { reason: `${message} (${rule})` } });
    }
  }
  const request = parsed.success ? { ...parsed.data, reason: connectHereReason(parsed.data.reason) } : input;
  try {
    const result = await mintToken(auth.actor, request);
    if (!result.ok) return result;
    const { token, tokenExpirationTime, sessionExpirationTime, auditId } = result.data;
    return ok({ token, tokenExpirationTime, sessionExpirationTime, auditId });
  } catch {
    return fail('INTERNAL', 'Something went wrong on the server; no token was issued.');
  }
}
