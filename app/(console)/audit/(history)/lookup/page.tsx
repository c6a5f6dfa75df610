import type { Metadata } from 'next';
import { Alert, Stack, Text, Title } from '@mantine/core';
import { TokenLookupForm } from '@/components/audit/token-lookup-form';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Look up a token' };

export default async function TokenLookupPage() {
  const staff = await requireStaff('/audit/lookup');
  return (
    <Stack gap="lg" maw={760}>
      <div>
        <Title order={1} size="h2">
          Look up a token
        </Title>
        <Text c="dimmed" size="sm">
          Who minted it, for whom, with which grants, and whether it can still connect. The console finds the record made when the token was
          minted.
        </Text>
      </div>
      {roleCan(staff.role, 'audit.read') ? (
        <TokenLookupForm />
      ) : (
        <Alert color="gray" title="No access">
          Your role ({staff.role}) may not read the audit log.
        </Alert>
      )}
    </Stack>
  );
}
