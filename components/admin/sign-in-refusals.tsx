'use client';

import { Stack, Table, TableScrollContainer, Text, Title } from '@mantine/core';
import type { SignInRefusal } from '@/lib/auth/sign-in-throttle';
import { Time } from '@/components/ui/time';

const REASON: Record<SignInRefusal['reason'], string> = {
  wrong_credentials: 'wrong email or password',
  throttled: 'throttled (too many failures)',
  not_staff: 'not on the staff list',
};

/** The newest refused sign-ins: the email as typed (it may name no account) and the client address. */
export function SignInRefusals({ refusals, figures }: { refusals: SignInRefusal[]; figures: string }) {
  return (
    <Stack gap="sm">
      <div>
        <Title order={2} size="h3">
          Refused sign-ins
        </Title>
        <Text c="dimmed" size="sm">
          The newest {refusals.length} refusals. {figures}
        </Text>
      </div>
      <TableScrollContainer minWidth={640}>
        <Table striped withTableBorder aria-label="Refused sign-ins" data-testid="sign-in-refusals">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time (UTC)</Table.Th>
              <Table.Th>Email tried</Table.Th>
              <Table.Th>Client address</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {refusals.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Time iso={r.at} size="xs" layout="stack" />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.email}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{r.clientAddress}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{REASON[r.reason] ?? r.reason}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScrollContainer>
    </Stack>
  );
}
