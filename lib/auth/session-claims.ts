import 'server-only';
import { env } from '@/lib/env';
import { getStaffById, type Staff } from '@/lib/auth/staff-store';
import type { EndedReason } from '@/lib/shared/session-ended';

/**
 * What a session cookie must carry besides next-auth's own claims: the member, the member's
 * session version at sign-in, and the sign-in time. A cookie is valid only while the version is
 * still the member's current one (sign-out, a password change, disabling and an admin's "sign out
 * everywhere" raise it) and for SESSION_LIFETIME_SECONDS from sign-in, however often it is renewed.
 */
export interface SessionClaims {
  staffId?: unknown;
  sessionVersion?: unknown;
  /** Unix seconds of the sign-in that made this session. */
  authTime?: unknown;
}

export type { EndedReason };

export type ClaimCheck = { ok: true; staff: Staff; authTime: number } | { ok: false; reason: EndedReason };

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Seconds the session may still be renewed for (its absolute end minus now). */
export function lifetimeLeft(authTime: number, now = nowSeconds()): number {
  return authTime + env.SESSION_LIFETIME_SECONDS - now;
}

/** Re-reads the member on every call: no cache, so an ended session is refused on every replica at once. */
export async function checkSessionClaims(claims: SessionClaims | null | undefined): Promise<ClaimCheck> {
  const { staffId, sessionVersion, authTime } = claims ?? {};
  // A cookie from before sessions carried these claims cannot be checked: it has ended.
  if (typeof staffId !== 'string' || typeof sessionVersion !== 'number' || typeof authTime !== 'number')
    return { ok: false, reason: 'revoked' };
  if (lifetimeLeft(authTime) <= 0) return { ok: false, reason: 'expired' };
  const staff = await getStaffById(staffId);
  if (!staff) return { ok: false, reason: 'revoked' };
  if (staff.disabled) return { ok: false, reason: 'disabled' };
  if (staff.sessionVersion !== sessionVersion) return { ok: false, reason: 'revoked' };
  return { ok: true, staff, authTime };
}
