import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import { SignInForm } from '@/components/auth/sign-in-form';
import { oidcEnabled } from '@/lib/auth/options';
import { getCurrentStaff, sessionLifetimeHours } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { safeReturnPath } from '@/lib/shared/return-path';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  NotStaff: 'That account is not on the staff list, or it has been disabled. Ask an admin to add you.',
  AccessDenied: 'That account is not on the staff list, or it has been disabled. Ask an admin to add you.',
  SessionRequired: 'Sign in to continue.',
  // Shown to whoever opens the link, so it names no account and says nothing an admin did not decide to tell.
  SessionDisabled:
    'Your session ended because this account was disabled. Signing in is refused until an admin enables it again; ask an admin if you need access.',
  SessionEnded:
    'Your session was ended elsewhere: you signed out in another window, your password was changed, or an admin signed you out everywhere. Sign in again to continue where you were.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  if (await getCurrentStaff()) redirect(callbackUrl);
  const errorKey = typeof params.error === 'string' ? params.error : undefined;
  const errors: Record<string, string> = {
    ...ERRORS,
    SessionExpired: `Your session has ended: a session lasts at most ${sessionLifetimeHours()} hours from sign-in. Sign in again to continue where you were.`,
  };
  return (
    <Center component="main" mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              IVS Chat Token Console
            </Title>
            <Text c="dimmed" size="sm">
              Staff sign-in
            </Text>
          </div>
          <SignInForm
            callbackUrl={callbackUrl}
            initialError={errorKey ? (errors[errorKey] ?? 'Sign-in failed. Try again.') : undefined}
            oidc={oidcEnabled ? { name: env.OIDC_NAME } : null}
          />
        </Stack>
      </Paper>
    </Center>
  );
}
