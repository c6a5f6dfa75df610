'use server';

import { rolePolicy } from '@/lib/auth/policy';
import { getCurrentStaff } from '@/lib/auth/session';
import { mintToken } from '@/lib/mint/mint-token';
import { recordMintRefusal } from '@/lib/mint/refusals';
import { connectHereReason } from '@/lib/shared/moderation/schema';
import { reasonRequired } from '@/lib/shared/policy/rules';
import { mintTokenSchema, type FieldErrors } from '@/lib/shared/tokens/schema';

export interface ConnectToken {
  token: string;
  tokenExpirationTime: string;
  sessionExpirationTime: string;
  auditId: string;
}

export type ConnectHereActionResult =
  | { ok: true; data: ConnectToken }
  | { ok: false; code: string; message: string; fieldErrors?: FieldErrors; rule?: string; retryAfterSeconds?: number };

/**
 * "Mint and connect here": a token for this browser's own test connection, through the one mint
 * path (policy, deny list, rate limit, audit), its reason marked "[connect here]". The chat SDK
 * asks again on every reconnect, and each ask is one audited mint. The page hands the token only
 * to the ChatRoom's tokenProvider; it is never shown.
 */
export async function connectHereAction(input: unknown): Promise<ConnectHereActionResult> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, code: 'UNAUTHENTICATED', message: 'Your session has ended. Sign in again to connect.' };
  const parsed = mintTokenSchema.safeParse(input);
  // The marker makes the reason non-empty: check the policy's reason rule on what was typed.
  if (parsed.success && parsed.data.reason.trim() === '') {
    const need = reasonRequired(rolePolicy(staff.role), parsed.data.capabilities);
    if (need.length) {
      const rule = `roles.${staff.role}.reasonRequiredFor`;
      const message = `A reason is required to grant ${need.join(', ')}.`;
      await recordMintRefusal({
        actor: { staffId: staff.id, email: staff.email, role: staff.role, via: 'connect-here' },
        roomArn: parsed.data.roomArn,
        region: null,
        userId: parsed.data.userId,
        capabilities: parsed.data.capabilities,
        durationMinutes: parsed.data.sessionDurationInMinutes,
        reason: null,
        code: 'FORBIDDEN',
        rule,
        message: `${message} (rule ${rule})`,
      });
      return { ok: false, code: 'FORBIDDEN', rule, message: `${message} (rule ${rule})`, fieldErrors: { reason: `${message} (${rule})` } };
    }
  }
  const request = parsed.success ? { ...parsed.data, reason: connectHereReason(parsed.data.reason) } : input;
  try {
    const result = await mintToken({ staffId: staff.id, email: staff.email, role: staff.role, via: 'connect-here' }, request);
    if (!result.ok) {
      return {
        ok: false,
        code: result.awsCode ?? result.code,
        message: result.message,
        fieldErrors: result.fieldErrors,
        rule: result.rule,
        retryAfterSeconds: result.retryAfterSeconds,
      };
    }
    const { token, tokenExpirationTime, sessionExpirationTime, auditId } = result.data;
    return { ok: true, data: { token, tokenExpirationTime, sessionExpirationTime, auditId } };
  } catch {
    return { ok: false, code: 'INTERNAL', message: 'Something went wrong on the server; no token was issued.' };
  }
}
