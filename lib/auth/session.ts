import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { decode } from 'next-auth/jwt';
import { SESSION_COOKIE } from '@/lib/auth/session-cookie';
import { checkSessionClaims, type EndedReason } from '@/lib/auth/session-claims';
import type { Staff } from '@/lib/auth/staff-store';
import { env } from '@/lib/env';
import { safeReturnPath } from '@/lib/shared/return-path';
import { signInHref } from '@/lib/shared/session-ended';

export type SessionState =
  | { kind: 'none' }
  | { kind: 'ended'; reason: EndedReason }
  /** Signed in with a one-time password: only setting a new one is allowed. */
  | { kind: 'password_change_required'; staff: Staff; authTime: number }
  | { kind: 'active'; staff: Staff; authTime: number };

/**
 * The request's session, checked against the member's current state in the database on every
 * request (no cache across requests: an ended session must be refused at once, on every replica).
 * React's per-request cache only spares a page's layout and page reading it twice.
 */
export const currentSession = cache(async (): Promise<SessionState> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return { kind: 'none' };
  let claims: Awaited<ReturnType<typeof decode>>;
  try {
    claims = await decode({ token, secret: env.NEXTAUTH_SECRET ?? '' });
  } catch {
    // Past its exp (unused for SESSION_MAX_AGE_SECONDS, or past its lifetime), or not ours.
    return { kind: 'ended', reason: 'expired' };
  }
  if (!claims) return { kind: 'ended', reason: 'expired' };
  const check = await checkSessionClaims(claims);
  if (!check.ok) return { kind: 'ended', reason: check.reason };
  // A one-time password binds sessions made with a password; single sign-on did not use it.
  const oneTime = check.staff.mustChangePassword && claims.provider !== 'oidc';
  return { kind: oneTime ? 'password_change_required' : 'active', staff: check.staff, authTime: check.authTime };
});

/**
 * The signed-in, active staff member, or null. Every page, action and route handler calls this,
 * so a member who still has to replace a one-time password gets nothing anywhere but /password.
 */
export async function getCurrentStaff(): Promise<Staff | null> {
  const session = await currentSession();
  return session.kind === 'active' ? session.staff : null;
}

/** The sign-in page for a session that ended, coming back to `returnTo` (app/signin/page.tsx says what happened). */
export function signInUrl(returnTo: string, ended?: EndedReason): string {
  return signInHref(returnTo, ended);
}

export function newPasswordUrl(returnTo: string): string {
  return `/password?${new URLSearchParams({ callbackUrl: safeReturnPath(returnTo) })}`;
}

/** For pages: the staff member, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireStaff(returnTo: string): Promise<Staff> {
  const session = await currentSession();
  if (session.kind === 'password_change_required') redirect(newPasswordUrl(returnTo));
  if (session.kind !== 'active') redirect(signInUrl(returnTo, session.kind === 'ended' ? session.reason : undefined));
  return session.staff;
}

/** For layouts: like requireStaff, returning to the path the proxy recorded for this request. */
export async function requireStaffForRequest(fallback = '/mint'): Promise<Staff> {
  const path = (await headers()).get('x-console-path') ?? fallback;
  return requireStaff(path);
}

export const sessionLifetimeHours = () => Math.round((env.SESSION_LIFETIME_SECONDS / 3600) * 10) / 10;
