'use client';

import { DenseBadge, DenseText } from '@/components/ui/dense';
import { LongText, RecordTable, TimeCell, type RecordColumn } from './record-table';

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

const COLUMNS: RecordColumn<ActivityRow>[] = [
  { key: 'at', header: 'Time (UTC)', testId: 'activity-time', cell: (r, now) => <TimeCell at={r.at} now={now} /> },
  {
    key: 'action',
    header: 'Action',
    cell: (r) => (
      <DenseBadge color={ACTION_COLOR[r.action] ?? 'gray'} whole data-testid="activity-action">
        {r.action === 'token.minted' ? `token.minted · ${r.status}` : r.action}
      </DenseBadge>
    ),
  },
  {
    key: 'what',
    header: 'What',
    link: true,
    testId: 'activity-what',
    cell: (r) => (
      <>
        <LongText>{r.summary}</LongText>
        {r.reason && (
          <DenseText span block size="xs" dimmed>
            Reason: {r.reason}
          </DenseText>
        )}
      </>
    ),
  },
  { key: 'userId', header: 'userId', testId: 'activity-user-id', cell: (r) => r.userId !== null && <LongText>{r.userId}</LongText> },
  {
    key: 'room',
    header: 'Room',
    cell: (r) =>
      r.roomArn && (
        <DenseText mono title={r.roomArn}>
          {roomId(r.roomArn)}
        </DenseText>
      ),
  },
  {
    key: 'actor',
    header: 'Actor',
    cell: (r) => (
      <>
        <LongText>
          {r.actorEmail}
          <DenseText span size="xs" dimmed>
            {' '}
            ({r.actorRole})
          </DenseText>
        </LongText>
        {r.apiKeyName && (
          <DenseText size="xs" dimmed>
            key {r.apiKeyName}
          </DenseText>
        )}
      </>
    ),
  },
  {
    key: 'source',
    header: 'Source',
    testId: 'activity-source',
    cell: (r) => (
      <>
        <DenseText>{r.via}</DenseText>
        {r.batchId && (
          <DenseText size="xs" dimmed mono>
            batch {r.batchId}
          </DenseText>
        )}
      </>
    ),
  },
];

/** Every kind of audit entry on the shared table/card shell; the sentence is the row's link. */
export function ActivityTable({ rows, label }: { rows: ActivityRow[]; label: string }) {
  return (
    <RecordTable
      rows={rows}
      columns={COLUMNS}
      label={label}
      testId="activity-table"
      rowTestId="activity-row"
      rowAttributes={(r) => ({ 'data-action': r.action })}
    />
  );
}
