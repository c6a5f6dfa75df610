'use client';

import Link from 'next/link';
import { Anchor, Badge, Card, Code, Stack, Table, Text, Title } from '@mantine/core';
import { ExactValue } from '@/components/ui/exact-value';
import { Time } from '@/components/ui/time';

export interface TimelineItem {
  id: string;
  at: string;
  action: string;
  status: string;
  summary: string;
  actorEmail: string;
  via: string;
  reason: string | null;
  /** Null: a deny-list entry for every room. */
  roomArn: string | null;
}

/**
 * Everything the audit log holds about one userId in one room, oldest first; the entry this page
 * shows is marked. User-controlled text is React text only.
 */
export function UserTimeline({
  userId,
  roomArn,
  items,
  more,
  currentId,
}: {
  userId: string;
  roomArn: string;
  items: TimelineItem[];
  more: boolean;
  currentId: string;
}) {
  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Title order={2} size="h4" id="timeline-title">
          Everything recorded for this user in this room
        </Title>
        <Text size="sm" c="dimmed">
          <Code>
            <ExactValue value={userId} />
          </Code>{' '}
          in <Code>{roomArn}</Code>, oldest first: mints, refused mints, disconnects, deleted messages and deny-list entries (including
          those for every room).
          {more ? ' Only the newest 100 are shown; the Activity view has the rest.' : ''}
        </Text>
        <Table aria-labelledby="timeline-title" data-testid="user-timeline" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time (UTC)</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Actor</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id} data-testid="timeline-row" data-action={e.action} aria-current={e.id === currentId ? 'true' : undefined}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {e.id === currentId ? (
                    <Text span ff="monospace" size="sm" fw={700}>
                      <Time iso={e.at} layout="stack" /> (this entry)
                    </Text>
                  ) : (
                    <Anchor component={Link} href={`/audit/${encodeURIComponent(e.id)}`} size="sm">
                      <Time iso={e.at} layout="stack" />
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    tt="none"
                    color={e.action === 'token.refused' ? 'red' : e.action === 'token.minted' ? 'blue' : 'orange'}
                  >
                    {e.action === 'token.minted' ? `token.minted · ${e.status}` : e.action}
                  </Badge>
                </Table.Td>
                <Table.Td data-testid="timeline-summary">
                  {e.summary}
                  {e.roomArn === null ? ' (every room)' : ''}
                  {e.reason && (
                    <Text size="xs" c="dimmed">
                      Reason: {e.reason}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td fz="sm">
                  {e.actorEmail} · {e.via}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
