import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Alert, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { ChangePasswordForm } from '@/components/auth/change-password-form';
import { currentSession, signInUrl } from '@/lib/auth/session';
import { safeReturnPath } from '@/lib/shared/return-path';

export const metadata: Metadata = { title: 'Change password' };

/** Outside the console layout: the one page a member with a one-time password may use. */
export default async function PasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl);
  const session = await currentSession();
  if (session.kind !== 'active' && session.kind !== 'password_change_required') {
    redirect(signInUrl('/password', session.kind === 'ended' ? session.reason : undefined));
  }
  const forced = session.kind === 'password_change_required';
  return (
    <Center component="main" mih="100dvh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={460}>
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              {forced ? 'Set a new password' : 'Change password'}
            </Title>
            <Text c="dimmed" size="sm">
              {session.staff.email}
            </Text>
          </div>
          {forced && (
            <Alert color="yellow" title="One-time password">
              You signed in with a password that was printed or reset for you. Choose your own before anything else; until then the console
              refuses every other page and action.
            </Alert>
          )}
          <ChangePasswordForm callbackUrl={callbackUrl} />
        </Stack>
      </Paper>
    </Center>
  );
}
