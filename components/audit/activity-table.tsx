'use client';

import Link from 'next/link';
import { Anchor, Badge, ScrollArea, Table, Text } from '@mantine/core';
import { Time } from '@/components/ui/time';

/** The plain data an Activity row shows. */
export interface ActivityRow {
  id: string;
  seq: number;
  at: string;
  action: string;
  status: string;
  summary: string;
  actorEmail: string;
  actorRole: string;
  via: string;
  apiKeyName: string | null;
  userId: string | null;
  roomArn: string | null;
  batchId: string | null;
  reason: string | null;
}

const roomId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

const ACTION_COLOR: Record<string, string> = {
  'token.minted': 'blue',
  'token.refused': 'red',
  'user.disconnected': 'orange',
  'message.deleted': 'orange',
  'denylist.added': 'grape',
  'denylist.removed': 'grape',
};

/** User-controlled text is rendered as React text only; hrefs carry only record ids. */
export function ActivityTable({ rows, label }: { rows: ActivityRow[]; label: string }) {
  return (
    <ScrollArea type="auto">
      <Table striped highlightOnHover miw={960} aria-label={label} data-testid="activity-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time (UTC)</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>userId</Table.Th>
            <Table.Th>Room</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Source</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} data-testid="activity-row" data-record-id={r.id} data-action={r.action}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor component={Link} href={`/audit/${encodeURIComponent(r.id)}`} size="sm">
                  <Time iso={r.at} layout="stack" />
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={ACTION_COLOR[r.action] ?? 'gray'} tt="none" data-testid="activity-action">
                  {r.action === 'token.minted' ? `token.minted · ${r.status}` : r.action}
                </Badge>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word', maxWidth: 320 }} data-testid="activity-what">
                {r.summary}
                {r.reason && (
                  <Text size="xs" c="dimmed">
                    Reason: {r.reason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all', maxWidth: 200 }} data-testid="activity-user-id">
                {r.userId}
              </Table.Td>
              <Table.Td ff="monospace" fz="sm" title={r.roomArn ?? undefined}>
                {r.roomArn ? roomId(r.roomArn) : null}
              </Table.Td>
              <Table.Td fz="sm">
                {r.actorEmail}
                <Text span size="xs" c="dimmed">
                  {' '}
                  ({r.actorRole})
                </Text>
                {r.apiKeyName && (
                  <Text size="xs" c="dimmed">
                    key {r.apiKeyName}
                  </Text>
                )}
              </Table.Td>
              <Table.Td fz="sm" data-testid="activity-source">
                {r.via}
                {r.batchId && (
                  <Text size="xs" c="dimmed" ff="monospace">
                    batch {r.batchId}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
