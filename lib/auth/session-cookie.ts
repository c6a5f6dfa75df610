import 'server-only';
import { env } from '@/lib/env';

/** next-auth's own rule: `__Secure-` cookies when the console's public URL is https. */
export const SECURE_COOKIES = (env.NEXTAUTH_URL ?? '').startsWith('https://');
export const SESSION_COOKIE = `${SECURE_COOKIES ? '__Secure-' : ''}next-auth.session-token`;
