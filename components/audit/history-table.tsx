'use client';

import Link from 'next/link';
import { useState } from 'react';
import { Anchor, Badge, Button, Group, Modal, ScrollArea, Table, Text } from '@mantine/core';
import { DisconnectUserForm } from '@/components/moderation/moderation-panel';
import { TokenStateCell } from '@/components/token/token-state-view';
import { ExactValue } from '@/components/ui/exact-value';
import { Time } from '@/components/ui/time';
import { formatMinutes } from '@/lib/shared/tokens/expiry';
import type { TokenStateInput } from '@/lib/shared/tokens/token-state';
import { StatusBadge } from './status-badge';

/** The plain data a history row shows (a subset of the audit record). */
export interface HistoryRow {
  id: string;
  seq: number;
  at: string;
  actorEmail: string;
  via: string;
  apiKeyName: string | null;
  roomArn: string | null;
  region: string | null;
  userId: string | null;
  capabilities: string[] | null;
  durationMinutes: number | null;
  status: string;
  /** What the State column computes the token's state from (lib/shared/tokens/token-state.ts). */
  state: TokenStateInput;
}

const roomId = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** User-controlled text (userId, room ARNs) is rendered as React text only; hrefs carry only record ids. */
export function HistoryTable({ rows, mayDisconnect = false }: { rows: HistoryRow[]; mayDisconnect?: boolean }) {
  const [disconnecting, setDisconnecting] = useState<{ roomArn: string; userId: string } | null>(null);
  return (
    <ScrollArea type="auto">
      <Modal opened={disconnecting !== null} onClose={() => setDisconnecting(null)} title="Disconnect a user" size="lg">
        {disconnecting && <DisconnectUserForm roomArn={disconnecting.roomArn} initialUserId={disconnecting.userId} compact />}
      </Modal>
      <Table striped highlightOnHover miw={900} aria-label="Token mints, newest first" data-testid="history-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time (UTC)</Table.Th>
            <Table.Th>userId</Table.Th>
            <Table.Th>Room</Table.Th>
            <Table.Th>Capabilities</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>State</Table.Th>
            {mayDisconnect && <Table.Th>Moderate</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id} data-testid="history-row" data-record-id={r.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Anchor component={Link} href={`/audit/${encodeURIComponent(r.id)}`} size="sm">
                  <Time iso={r.at} layout="stack" />
                </Anchor>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all', maxWidth: 260 }} data-testid="history-user-id">
                {r.userId !== null && <ExactValue value={r.userId} />}
              </Table.Td>
              <Table.Td>
                {r.roomArn && (
                  <Text size="sm" title={r.roomArn}>
                    {roomId(r.roomArn)}{' '}
                    <Text span size="xs" c="dimmed">
                      {r.region}
                    </Text>
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {(r.capabilities ?? []).length === 0 ? (
                    <Text size="xs" c="dimmed">
                      view only
                    </Text>
                  ) : (
                    (r.capabilities ?? []).map((c) => (
                      <Badge key={c} size="xs" variant="outline" tt="none">
                        {c}
                      </Badge>
                    ))
                  )}
                </Group>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.durationMinutes !== null ? formatMinutes(r.durationMinutes) : ''}</Table.Td>
              <Table.Td>
                <Text size="sm">{r.actorEmail}</Text>
                <Text size="xs" c="dimmed">
                  via {r.via}
                  {r.apiKeyName ? ` (key ${r.apiKeyName})` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={r.status} />
              </Table.Td>
              <Table.Td>
                <TokenStateCell input={r.state} />
              </Table.Td>
              {mayDisconnect && (
                <Table.Td>
                  {r.roomArn && r.userId !== null && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      aria-label={`Disconnect ${r.userId} from ${roomId(r.roomArn)}`}
                      onClick={() => setDisconnecting({ roomArn: r.roomArn!, userId: r.userId! })}
                    >
                      Disconnect
                    </Button>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
