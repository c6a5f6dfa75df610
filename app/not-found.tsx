import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { Center, Paper, Stack, Text } from '@mantine/core';
import { ConsoleShell } from '@/components/shell/console-shell';
import { NotFoundBody } from '@/components/shell/not-found-body';
import { consoleNav } from '@/lib/auth/nav';
import { currentSession } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Page not found' };

/**
 * Every address that matches no route (Next answers it with status 404 and this page). A signed-in
 * member stays inside the console, with its navigation; anyone else gets the plain branded page,
 * which says nothing about what the console holds.
 */
export default async function NotFound() {
  const path = (await headers()).get('x-console-path')?.split('?')[0] ?? null;
  const session = await currentSession().catch(() => ({ kind: 'none' }) as const);
  if (session.kind === 'active') {
    return (
      <ConsoleShell staff={{ email: session.staff.email, role: session.staff.role }} nav={consoleNav(session.staff.role)}>
        <NotFoundBody path={path} signedIn />
      </ConsoleShell>
    );
  }
  return (
    <Center mih="100dvh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={520}>
        <Stack gap="md">
          <div>
            <Text fw={700} size="lg">
              IVS Chat Token Console
            </Text>
          </div>
          <NotFoundBody path={path} signedIn={false} />
        </Stack>
      </Paper>
    </Center>
  );
}
