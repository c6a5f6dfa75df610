'use client';

import { Code, Stack, Table, Text, Title } from '@mantine/core';
import { Time } from '@/components/ui/time';

export interface EntryRecordView {
  id: string;
  seq: number;
  at: string;
  action: string;
  summary: string;
  actorEmail: string;
  actorRole: string;
  actorId: string;
  via: string;
  apiKeyName: string | null;
  batchId: string | null;
  roomArn: string | null;
  userId: string | null;
  reason: string | null;
  /** The entry's details as JSON text (never holds a secret). */
  detailsJson: string | null;
}

function Row({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th w={180}>{label}</Table.Th>
      <Table.Td ff={mono ? 'monospace' : undefined} style={{ wordBreak: 'break-word' }}>
        {children ?? (
          <Text span c="dimmed" size="sm">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Any audit entry other than a mint. User-controlled text is React text only. */
export function EntryRecord({ record }: { record: EntryRecordView }) {
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Audit entry: {record.action}
        </Title>
        <Text c="dimmed" size="sm" ff="monospace">
          {record.id} · seq {record.seq}
        </Text>
      </div>
      <Text data-testid="entry-summary">{record.summary}</Text>
      <Table withTableBorder variant="vertical" layout="fixed" aria-label="The audit entry" data-testid="entry-table">
        <Table.Tbody>
          <Row label="Time">
            <Time iso={record.at} />
          </Row>
          <Row label="Action">{record.action}</Row>
          <Row label="Actor">
            {record.actorEmail} ({record.actorRole}, staff id {record.actorId})
          </Row>
          <Row label="Source">
            {record.via}
            {record.batchId ? ` · batch ${record.batchId}` : ''}
          </Row>
          <Row label="API key">{record.apiKeyName}</Row>
          <Row label="userId">{record.userId}</Row>
          <Row label="Room ARN" mono>
            {record.roomArn}
          </Row>
          <Row label="Reason">{record.reason}</Row>
          <Row label="Details">{record.detailsJson ? <Code block>{record.detailsJson}</Code> : null}</Row>
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
