'use client';

import { Badge, Text } from '@mantine/core';
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
      <Badge
        variant="light"
        color={ACTION_COLOR[r.action] ?? 'gray'}
        tt="none"
        data-testid="activity-action"
        style={{ minWidth: 'max-content' }}
      >
        {r.action === 'token.minted' ? `token.minted · ${r.status}` : r.action}
      </Badge>
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
          <Text size="xs" c="dimmed" component="span" display="block">
            Reason: {r.reason}
          </Text>
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
        <Text ff="monospace" size="sm" title={r.roomArn}>
          {roomId(r.roomArn)}
        </Text>
      ),
  },
  {
    key: 'actor',
    header: 'Actor',
    cell: (r) => (
      <>
        <LongText>
          {r.actorEmail}
          <Text span size="xs" c="dimmed">
            {' '}
            ({r.actorRole})
          </Text>
        </LongText>
        {r.apiKeyName && (
          <Text size="xs" c="dimmed">
            key {r.apiKeyName}
          </Text>
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
        <Text size="sm">{r.via}</Text>
        {r.batchId && (
          <Text size="xs" c="dimmed" ff="monospace">
            batch {r.batchId}
          </Text>
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
