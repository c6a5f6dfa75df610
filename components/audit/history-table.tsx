'use client';

import { useState } from 'react';
import { Modal } from '@mantine/core';
import { DisconnectUserForm } from '@/components/moderation/moderation-panel';
import { TokenStateCell } from '@/components/token/token-state-view';
import { DenseBadge, DenseButton, DenseGroup, DenseText } from '@/components/ui/dense';
import { ExactValue } from '@/components/ui/exact-value';
import { formatMinutes } from '@/lib/shared/tokens/expiry';
import type { TokenStateInput } from '@/lib/shared/tokens/token-state';
import { tokenMayExist } from '@/lib/shared/moderation/words';
import { LongText, RecordTable, TimeCell, type RecordColumn } from './record-table';
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

/** The mint history on the shared table/card shell; a row opens its record, the userId is its link. */
export function HistoryTable({ rows, mayDisconnect = false }: { rows: HistoryRow[]; mayDisconnect?: boolean }) {
  const [disconnecting, setDisconnecting] = useState<{ roomArn: string; userId: string } | null>(null);
  const columns: RecordColumn<HistoryRow>[] = [
    { key: 'at', header: 'Time (UTC)', testId: 'history-time', cell: (r, now) => <TimeCell at={r.at} now={now} /> },
    {
      key: 'userId',
      header: 'userId',
      link: true,
      testId: 'history-user-id',
      cell: (r) => r.userId !== null && <LongText>{<ExactValue value={r.userId} />}</LongText>,
    },
    {
      key: 'room',
      header: 'Room',
      cell: (r) =>
        r.roomArn && (
          <DenseText title={r.roomArn}>
            {roomId(r.roomArn)}{' '}
            <DenseText span size="xs" dimmed>
              {r.region}
            </DenseText>
          </DenseText>
        ),
    },
    {
      key: 'capabilities',
      header: 'Capabilities',
      testId: 'history-capabilities',
      cell: (r) => (
        <DenseGroup>
          {(r.capabilities ?? []).length === 0 ? (
            <DenseText size="xs" dimmed>
              view only
            </DenseText>
          ) : (
            (r.capabilities ?? []).map((c) => (
              <DenseBadge key={c} size="xs" variant="outline" color="violet" whole>
                {c}
              </DenseBadge>
            ))
          )}
        </DenseGroup>
      ),
    },
    {
      key: 'duration',
      header: 'Duration',
      nowrap: true,
      cell: (r) => (r.durationMinutes !== null ? <DenseText>{formatMinutes(r.durationMinutes)}</DenseText> : null),
    },
    {
      key: 'actor',
      header: 'Actor',
      cell: (r) => (
        <>
          <LongText>{r.actorEmail}</LongText>
          <DenseText size="xs" dimmed>
            via {r.via}
            {r.apiKeyName ? ` (key ${r.apiKeyName})` : ''}
          </DenseText>
        </>
      ),
    },
    { key: 'status', header: 'Status', nowrap: true, cell: (r) => <StatusBadge status={r.status} /> },
    { key: 'state', header: 'State', cell: (r) => <TokenStateCell input={r.state} /> },
  ];
  if (mayDisconnect) {
    columns.push({
      key: 'moderate',
      header: 'Moderate',
      cell: (r) =>
        r.roomArn &&
        r.userId !== null &&
        tokenMayExist(r.status) && (
          <DenseButton
            color="red"
            aria-label={`Disconnect ${r.userId} from ${roomId(r.roomArn)}`}
            onClick={() => setDisconnecting({ roomArn: r.roomArn!, userId: r.userId! })}
          >
            Disconnect
          </DenseButton>
        ),
    });
  }
  return (
    <>
      <Modal
        opened={disconnecting !== null}
        onClose={() => setDisconnecting(null)}
        title={disconnecting ? `Disconnect ${disconnecting.userId} from ${roomId(disconnecting.roomArn)}` : 'Disconnect a user'}
        size="lg"
      >
        {disconnecting && <DisconnectUserForm roomArn={disconnecting.roomArn} initialUserId={disconnecting.userId} compact />}
      </Modal>
      <RecordTable rows={rows} columns={columns} label="Token mints, newest first" testId="history-table" rowTestId="history-row" />
    </>
  );
}
