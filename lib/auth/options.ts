import 'server-only';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '@/lib/env';
import { getStaffByEmail, verifyStaffCredentials } from '@/lib/auth/staff-store';
import { log } from '@/lib/log';

const providers: NextAuthOptions['providers'] = [
  CredentialsProvider({
    id: 'credentials',
    name: 'Email and password',
    credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
    async authorize(credentials) {
      const email = typeof credentials?.email === 'string' ? credentials.email : '';
      const password = typeof credentials?.password === 'string' ? credentials.password : '';
      if (!email || !password || email.length > 320 || password.length > 1024) return null;
      const staff = await verifyStaffCredentials(email, password);
      if (!staff) {
        log.info({ event: 'signin.refused', provider: 'credentials' }, 'sign-in refused');
        return null;
      }
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
  session: { strategy: 'jwt', maxAge: env.SESSION_MAX_AGE_SECONDS },
  jwt: { maxAge: env.SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/signin', error: '/signin' },
  providers,
  callbacks: {
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
    async jwt({ token, user }) {
      if (user?.email) {
        const staff = await getStaffByEmail(user.email.toLowerCase());
        if (staff) token.staffId = staff.id;
      }
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
  }
}
