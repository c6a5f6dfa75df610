import 'server-only';
import { cookies } from 'next/headers';
import { encode } from 'next-auth/jwt';
import { lifetimeLeft } from '@/lib/auth/session-claims';
import type { Staff } from '@/lib/auth/staff-store';
import { env } from '@/lib/env';

/** next-auth's own rule: `__Secure-` cookies when the console's public URL is https. */
export const SECURE_COOKIES = (env.NEXTAUTH_URL ?? '').startsWith('https://');
export const SESSION_COOKIE = `${SECURE_COOKIES ? '__Secure-' : ''}next-auth.session-token`;

/**
 * Re-signs this browser's session after the member changed their own password (which ended every
 * session): the new session version, the same sign-in time, so the lifetime is unchanged.
 */
export async function reissueSessionCookie(staff: Staff, authTime: number): Promise<void> {
  const maxAge = Math.min(env.SESSION_MAX_AGE_SECONDS, lifetimeLeft(authTime));
  if (maxAge <= 0) return;
  const token = await encode({
    token: {
      sub: staff.id,
      email: staff.email,
      name: staff.name ?? staff.email,
      staffId: staff.id,
      sessionVersion: staff.sessionVersion,
      authTime,
    },
    secret: env.NEXTAUTH_SECRET ?? '',
    maxAge,
  });
  (await cookies()).set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure: SECURE_COOKIES, maxAge });
}
