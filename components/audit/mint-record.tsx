'use client';

import Link from 'next/link';
import { Alert, Anchor, Badge, Card, Code, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { ExpiryCard } from '@/components/token/expiry-card';
import { useNow } from '@/components/token/use-now';
import { TokenStateHeadline } from '@/components/token/token-state-view';
import { ExactValue } from '@/components/ui/exact-value';
import { Time } from '@/components/ui/time';
import { formatMinutes } from '@/lib/shared/tokens/expiry';
import type { StateDenial } from '@/lib/shared/tokens/token-state';
import type { AuditRecord } from '@/lib/shared/audit/record';
import { StatusBadge } from './status-badge';

/** The plain data of one mint record that the detail page shows (the type only: nothing server-side is bundled). */
export type MintRecordView = Omit<AuditRecord, 'details' | 'prevHash' | 'completionHash'>;

export interface OtherMint {
  id: string;
  at: string;
  status: string;
  capabilities: string[] | null;
  durationMinutes: number | null;
  actorEmail: string;
}

function Row({ label, children, mono }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th w={200} style={{ verticalAlign: 'top' }}>
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} ff={mono ? 'monospace' : undefined}>
        {children ?? (
          <Text span c="dimmed" size="sm">
            —
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** User-controlled text (userId, attributes, reason, error messages) is React text only, never markup or an href. */
export function MintRecord({
  record,
  others,
  moreOthers,
  facts,
  nearMatches,
}: {
  record: MintRecordView;
  others: OtherMint[];
  moreOthers: boolean;
  /** The deny-list entries and disconnects the token's state depends on. */
  facts: { denials: StateDenial[]; disconnects: string[] };
  /** Mints in this room whose userId is this one without its surrounding white space. */
  nearMatches: { userId: string; count: number; more: boolean } | null;
}) {
  const now = useNow();
  const attributes = Object.entries(record.attributes ?? {});
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Token mint
        </Title>
        <Text c="dimmed" size="sm" ff="monospace">
          {record.id}
        </Text>
      </div>
      <TokenStateHeadline input={{ ...record, denials: facts.denials, disconnects: facts.disconnects }} />
      {record.tokenExpiresAt && record.sessionExpiresAt && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <ExpiryCard
            title="Connect before"
            hint="tokenExpirationTime: after this the token can no longer open a connection."
            iso={record.tokenExpiresAt}
            now={now}
            testId="token-expiry"
            earlierLimit={{ label: 'session end', iso: record.sessionExpiresAt }}
          />
          <ExpiryCard
            title="Session ends by"
            hint="sessionExpirationTime: a connection made with this token is closed at the latest here."
            iso={record.sessionExpiresAt}
            now={now}
            testId="session-expiry"
          />
        </SimpleGrid>
      )}
      <Table withTableBorder variant="vertical" layout="fixed" aria-label="The audit record" data-testid="record-table">
        <Table.Tbody>
          <Row label="Time">
            <Time iso={record.at} now={now} />
          </Row>
          <Row label="Status">
            <StatusBadge status={record.status} />
          </Row>
          <Row label="Actor">
            {record.actorEmail} ({record.actorRole}, staff id {record.actorId})
          </Row>
          <Row label="Via">
            {record.via}
            {record.batchId ? ` · batch ${record.batchId}` : ''}
          </Row>
          <Row label="API key">{record.apiKeyName}</Row>
          <Row label="Room ARN" mono>
            {record.roomArn}
          </Row>
          <Row label="Region">{record.region}</Row>
          <Row label="userId">{record.userId !== null && <ExactValue value={record.userId} testId="record-user-id" />}</Row>
          <Row label="Attributes">
            {attributes.length === 0 ? null : (
              <Table withTableBorder fz="sm" aria-label="Attributes" data-testid="record-attributes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Value</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {attributes.map(([k, v]) => (
                    <Table.Tr key={k}>
                      <Table.Td>
                        <Code>{k}</Code>
                      </Table.Td>
                      <Table.Td>{v}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Row>
          <Row label="Capabilities">
            <Group gap={4}>
              <Badge variant="outline" color="gray" tt="none">
                VIEW (implicit)
              </Badge>
              {(record.capabilities ?? []).map((c) => (
                <Badge key={c} variant="light" tt="none">
                  {c}
                </Badge>
              ))}
            </Group>
          </Row>
          <Row label="Session duration">{record.durationMinutes !== null ? formatMinutes(record.durationMinutes) : null}</Row>
          <Row label="Reason">{record.reason || null}</Row>
          <Row label="Fingerprint" mono>
            {record.fingerprint}
          </Row>
          <Row label="Connect before" mono>
            {record.tokenExpiresAt && <Time iso={record.tokenExpiresAt} />}
          </Row>
          <Row label="Session ends by" mono>
            {record.sessionExpiresAt && <Time iso={record.sessionExpiresAt} />}
          </Row>
          <Row label="AWS request id" mono>
            {record.requestId}
          </Row>
          <Row label="Error">
            {record.errorCode || record.errorMessage ? [record.errorCode, record.errorMessage].filter(Boolean).join(': ') : null}
          </Row>
          <Row label="Completed" mono>
            {record.completedAt && <Time iso={record.completedAt} />}
          </Row>
          <Row label="Chain" mono>
            seq {record.seq} · {record.hash}
          </Row>
        </Table.Tbody>
      </Table>
      <Card withBorder padding="md">
        <Stack gap="xs">
          <Title order={2} size="h4">
            Other tokens for this userId in this room
          </Title>
          {others.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="no-other-mints">
              None: this is the only mint for exactly this userId
              {record.userId !== null && (
                <>
                  {' '}
                  (<ExactValue value={record.userId} />)
                </>
              )}{' '}
              in this room.
            </Text>
          ) : (
            <Table fz="sm" aria-label="Other tokens for this userId in this room" data-testid="other-mints">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time (UTC)</Table.Th>
                  <Table.Th>Capabilities</Table.Th>
                  <Table.Th>Duration</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {others.map((o) => (
                  <Table.Tr key={o.id}>
                    <Table.Td>
                      <Anchor component={Link} href={`/audit/${encodeURIComponent(o.id)}`} size="sm">
                        <Time iso={o.at} layout="stack" />
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{(o.capabilities ?? []).join(', ') || 'view only'}</Table.Td>
                    <Table.Td>{o.durationMinutes !== null ? formatMinutes(o.durationMinutes) : ''}</Table.Td>
                    <Table.Td>{o.actorEmail}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={o.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {nearMatches && nearMatches.count > 0 && (
            <Alert color="orange" variant="light" data-testid="near-matches">
              {nearMatches.more ? `More than ${nearMatches.count}` : nearMatches.count} mint
              {nearMatches.count === 1 && !nearMatches.more ? '' : 's'} in this room{' '}
              {nearMatches.count === 1 && !nearMatches.more ? 'is' : 'are'} for <ExactValue value={nearMatches.userId} />, the same userId
              without the white space at its ends: to IVS and to this console that is a different user.{' '}
              <Anchor
                component={Link}
                href={`/audit?${new URLSearchParams({ userId: nearMatches.userId, room: record.roomArn ?? '' })}`}
                size="sm"
              >
                Show them
              </Anchor>
            </Alert>
          )}
          {moreOthers && (
            <Text size="xs" c="dimmed">
              Showing the newest {others.length}. Filter the history by this userId and room for all of them.
            </Text>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
