'use client';

import { Badge, Code, Group, Stack, Table, TableScrollContainer, Text, Title } from '@mantine/core';
import type { Policy } from '@/lib/shared/policy/rules';
import { ROLES } from '@/lib/shared/policy/roles';

const yesNo = (v: boolean) => (
  <Badge size="sm" variant="light" color={v ? 'teal' : 'gray'}>
    {v ? 'yes' : 'no'}
  </Badge>
);

/** Read-only: the policy is a file in the repository, changed by review, not from the console. */
export function PolicyTable({ policy, source }: { policy: Policy; source: string }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Effective policy
      </Title>
      <Text size="sm" c="dimmed">
        From <Code>{source}</Code>, read at start. Rate limits: {policy.rateLimits.mintPerStaff.max} mints per{' '}
        {policy.rateLimits.mintPerStaff.windowSeconds} s per staff member, {policy.rateLimits.mintPerApiKey.max} per{' '}
        {policy.rateLimits.mintPerApiKey.windowSeconds} s per API key.
      </Text>
      {/* Nothing in the table takes focus, so the region itself does: a keyboard can scroll it sideways. */}
      <TableScrollContainer
        minWidth={900}
        scrollAreaProps={{ viewportProps: { tabIndex: 0, role: 'region', 'aria-label': 'Effective policy, scrolls sideways' } }}
      >
        <Table striped withTableBorder aria-label="Effective policy" data-testid="policy-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Role</Table.Th>
              <Table.Th>Mint</Table.Th>
              <Table.Th>Capabilities</Table.Th>
              <Table.Th>Longest session</Table.Th>
              <Table.Th>Rooms</Table.Th>
              <Table.Th>Reason required for</Table.Th>
              <Table.Th>Read audit</Table.Th>
              <Table.Th>Manage staff</Table.Th>
              <Table.Th>Manage API keys</Table.Th>
              <Table.Th>Disconnect users</Table.Th>
              <Table.Th>Moderate</Table.Th>
              <Table.Th>Manage presets</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ROLES.map((role) => {
              const p = policy.roles[role];
              const tags = Object.entries(p.rooms.tags);
              return (
                <Table.Tr key={role} data-role={role}>
                  <Table.Th scope="row">{role}</Table.Th>
                  <Table.Td>{yesNo(p.mayMint)}</Table.Td>
                  <Table.Td>{p.mayMint ? ['view', ...p.capabilities].join(', ') : '—'}</Table.Td>
                  <Table.Td>{p.mayMint ? `${p.maxSessionMinutes} min` : '—'}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text size="xs" ff="monospace">
                        {p.rooms.arns.join(' ')}
                      </Text>
                      <Text size="xs">regions: {p.rooms.regions.join(', ')}</Text>
                      {p.rooms.accounts.some((a) => a !== '*') && <Text size="xs">accounts: {p.rooms.accounts.join(', ')}</Text>}
                      {tags.length > 0 && (
                        <Group gap={4}>
                          {tags.map(([k, v]) => (
                            <Badge key={k} size="xs" variant="outline" tt="none">
                              {k}={v}
                            </Badge>
                          ))}
                        </Group>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>{p.reasonRequiredFor.length ? p.reasonRequiredFor.join(', ') : 'never'}</Table.Td>
                  <Table.Td>{yesNo(p.mayReadAudit)}</Table.Td>
                  <Table.Td>{yesNo(p.mayManageStaff)}</Table.Td>
                  <Table.Td>{yesNo(p.mayManageApiKeys)}</Table.Td>
                  <Table.Td>{yesNo(p.mayDisconnectUsers)}</Table.Td>
                  <Table.Td>{yesNo(p.mayModerate)}</Table.Td>
                  <Table.Td>{yesNo(p.mayManagePresets)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </TableScrollContainer>
    </Stack>
  );
}
