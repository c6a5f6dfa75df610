import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import { decode as decodeJwt, encode as encodeJwt } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '@/lib/env';
import { clientAddress } from '@/lib/auth/client-address';
import { checkSessionClaims, lifetimeLeft, nowSeconds } from '@/lib/auth/session-claims';
import { SECURE_COOKIES } from '@/lib/auth/session-cookie';
import { beginSignInAttempt, recordSignInRefusal, signInSucceeded } from '@/lib/auth/sign-in-throttle';
import { endSessionsOnSignOut, getStaffByEmail, verifyStaffCredentials } from '@/lib/auth/staff-store';
import { log } from '@/lib/log';
import { safeReturnPath } from '@/lib/shared/return-path';

/** Thrown from authorize so the sign-in form can say when to try again (`Throttled:<ISO time>`). */
export const THROTTLED_PREFIX = 'Throttled:';

/** Thrown from the jwt callback for a session that has ended; next-auth then clears the cookie. */
class SessionEndedError extends Error {
  override name = 'SessionEndedError';
}

const providers: NextAuthOptions['providers'] = [
  CredentialsProvider({
    id: 'credentials',
    name: 'Email and password',
    credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
    async authorize(credentials, req) {
      const email = typeof credentials?.email === 'string' ? credentials.email : '';
      const password = typeof credentials?.password === 'string' ? credentials.password : '';
      if (!email || !password || email.length > 320 || password.length > 1024) return null;
      const client = clientAddress((req?.headers ?? {}) as Record<string, string>);
      // Counted before the password is checked, the same way for every email, known or not.
      const gate = await beginSignInAttempt({ email, clientAddress: client });
      if (!gate.ok) {
        log.info({ event: 'signin.refused', provider: 'credentials', reason: 'throttled', email, client }, 'sign-in refused');
        throw new Error(`${THROTTLED_PREFIX}${gate.retryAt.toISOString()}`);
      }
      const staff = await verifyStaffCredentials(email, password);
      if (!staff) {
        log.info({ event: 'signin.refused', provider: 'credentials', reason: 'wrong_credentials', email, client }, 'sign-in refused');
        await recordSignInRefusal({ email, clientAddress: client, reason: 'wrong_credentials' });
        return null;
      }
      await signInSucceeded({ email, clientAddress: client });
      return { id: staff.id, email: staff.email, name: staff.name ?? staff.email };
    },
  }),
];

if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID) {
  providers.push({
    id: 'oidc',
    name: env.OIDC_NAME,
    type: 'oauth',
    wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: 'openid email profile' } },
    idToken: true,
    checks: ['pkce', 'state', 'nonce'],
    profile(profile: { sub: string; email?: string; name?: string }) {
      return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? profile.sub };
    },
  });
}

export const oidcEnabled = providers.some((p) => p.id === 'oidc');

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: 'jwt', maxAge: Math.min(env.SESSION_MAX_AGE_SECONDS, env.SESSION_LIFETIME_SECONDS) },
  useSecureCookies: SECURE_COOKIES,
  jwt: {
    maxAge: Math.min(env.SESSION_MAX_AGE_SECONDS, env.SESSION_LIFETIME_SECONDS),
    // Each renewal re-signs the cookie for another SESSION_MAX_AGE_SECONDS, but never past the
    // session's absolute end (sign-in + SESSION_LIFETIME_SECONDS).
    async encode(params) {
      const authTime = params.token?.authTime;
      let maxAge = params.maxAge ?? env.SESSION_MAX_AGE_SECONDS;
      if (typeof authTime === 'number') maxAge = Math.min(maxAge, lifetimeLeft(authTime));
      if (maxAge <= 0) throw new SessionEndedError('the session has reached its lifetime');
      return encodeJwt({ ...params, maxAge });
    },
    decode: decodeJwt,
  },
  pages: { signIn: '/signin', error: '/signin' },
  providers,
  logger: {
    error(code, metadata) {
      const err = (metadata as { error?: unknown } | undefined)?.error ?? metadata;
      // An ended session is expected (sign-out elsewhere, a password change): not a server error.
      if (code === 'JWT_SESSION_ERROR' && err instanceof SessionEndedError) return;
      log.error({ event: 'next_auth.error', code, err: err instanceof Error ? err.message : String(err) }, 'next-auth error');
    },
    warn(code) {
      log.warn({ event: 'next_auth.warn', code }, 'next-auth warning');
    },
    debug() {},
  },
  events: {
    // Signing out ends every session of the member (a copied cookie of this one included).
    async signOut({ token }) {
      if (typeof token?.staffId === 'string' && typeof token.sessionVersion === 'number') {
        await endSessionsOnSignOut(token.staffId, token.sessionVersion);
      }
    },
  },
  callbacks: {
    // The one place next-auth picks a destination (sign-in, sign-out): our own paths only, judged
    // as the browser will read them (lib/shared/return-path.ts).
    async redirect({ url, baseUrl }) {
      let path = url;
      try {
        const parsed = new URL(url, baseUrl);
        if (parsed.origin === new URL(baseUrl).origin && /^[a-z]+:/i.test(url)) path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
      } catch {
        path = '/mint';
      }
      // Sign-out lands on the sign-in page itself, which safeReturnPath keeps people away from.
      return `${baseUrl}${path === '/signin' ? '/signin' : safeReturnPath(path)}`;
    },
    // The staff table decides who may use the console, not whoever can sign in to the IdP.
    async signIn({ user, account }) {
      if (account?.provider === 'credentials') return true;
      const email = user.email?.toLowerCase();
      const staff = email ? await getStaffByEmail(email) : null;
      if (!staff || staff.disabled) {
        log.info({ event: 'signin.refused', provider: account?.provider }, 'sign-in refused: not an active staff member');
        return '/signin?error=NotStaff';
      }
      return true;
    },
    async jwt({ token, user, account }) {
      if (user?.email) {
        const staff = await getStaffByEmail(user.email.toLowerCase());
        if (!staff) throw new SessionEndedError('not a staff member');
        // The provider matters for one-time passwords: only a password sign-in used one.
        return { ...token, staffId: staff.id, sessionVersion: staff.sessionVersion, authTime: nowSeconds(), provider: account?.provider };
      }
      // Every renewal (GET /api/auth/session) re-checks the session, so an ended one is not renewed.
      const check = await checkSessionClaims(token);
      if (!check.ok) throw new SessionEndedError(`session ${check.reason}`);
      return token;
    },
    async session({ session, token }) {
      return { ...session, staffId: typeof token.staffId === 'string' ? token.staffId : undefined };
    },
  },
};

declare module 'next-auth' {
  interface Session {
    staffId?: string;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    staffId?: string;
    sessionVersion?: number;
    authTime?: number;
    provider?: string;
  }
}
