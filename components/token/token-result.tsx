'use client';

import { forwardRef } from 'react';
import { Alert, Badge, Button, Card, Code, CopyButton, Group, SimpleGrid, Stack, Table, Tabs, Text, Timeline, Title } from '@mantine/core';
import { ShownOnce } from '@/components/ui/shown-once';
import type { MintedToken } from '@/lib/shared/tokens/minted';
import { ExactValue } from '@/components/ui/exact-value';
import { Time } from '@/components/ui/time';
import { formatMinutes } from '@/lib/shared/tokens/expiry';
import { awsCliSnippet, jsSdkSnippet } from '@/lib/shared/tokens/snippets';
import { ExpiryCard } from './expiry-card';
import { TokenStateHeadline } from './token-state-view';
import { useNow } from './use-now';

export const TokenResult = forwardRef<
  HTMLDivElement,
  {
    minted: MintedToken;
    endpoint: string | null;
    onMintAgain: () => void;
    pendingAgain: boolean;
    /** The room's name, when the room list knows it, so "Mint again" says where it mints. */
    roomName?: string;
    onCopied?: () => void;
    onHidden?: () => void;
  }
>(function TokenResult({ minted, endpoint, onMintAgain, pendingAgain, roomName, onCopied, onHidden }, ref) {
  const now = useNow();
  const { request } = minted;
  const againId = `mint-again-${minted.auditId}`;
  const timeline = timelineOf(minted);
  return (
    <Card
      withBorder
      padding="lg"
      ref={ref}
      aria-labelledby="token-result-title"
      data-testid="token-result"
      // Scrolled to when it appears: stop below the console's fixed header (the card's own padding clears the heading).
      style={{ scrollMarginTop: 'var(--app-shell-header-height, 0px)' }}
    >
      <Stack gap="md">
        <Group justify="space-between">
          {/* Focus moves here when a token is shown, so keyboard and screen-reader users start at the result. */}
          <Title order={2} size="h4" id="token-result-title" tabIndex={-1} data-result-heading>
            Token minted
          </Title>
          <Text size="xs" c="dimmed">
            Audit record {minted.auditId}
            {minted.requestId ? ` · AWS request ${minted.requestId}` : ''}
          </Text>
        </Group>
        <TokenStateHeadline
          input={{
            status: 'issued',
            at: minted.issuedAt,
            tokenExpiresAt: minted.tokenExpirationTime,
            sessionExpiresAt: minted.sessionExpirationTime,
          }}
        />
        {minted.auditWarning && (
          <Alert color="orange" role="alert">
            {minted.auditWarning}
          </Alert>
        )}
        <ShownOnce
          label="Token"
          value={minted.token}
          valueTestId="token-value"
          copyLabel="Copy token"
          onCopy={onCopied}
          onHide={onHidden}
          warningTitle="Bearer credential: shown only now"
          warning={
            <>
              Anyone holding this token can join the room as{' '}
              <b>
                <ExactValue value={request.userId} />
              </b>{' '}
              with the grants below. It is not stored anywhere and cannot be shown again. It is good for one connection.
            </>
          }
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <ExpiryCard
            title="Connect before"
            hint="tokenExpirationTime: after this the token can no longer open a connection."
            iso={minted.tokenExpirationTime}
            now={now}
            testId="token-expiry"
            earlierLimit={{ label: 'session end', iso: minted.sessionExpirationTime }}
          />
          <ExpiryCard
            title="Session ends by"
            hint="sessionExpirationTime: a connection made with this token is closed at the latest here."
            iso={minted.sessionExpirationTime}
            now={now}
            testId="session-expiry"
          />
        </SimpleGrid>
        <Timeline
          active={now ? timeline.filter((step) => new Date(step.at) <= now).length - 1 : 0}
          bulletSize={16}
          lineWidth={2}
          aria-label="Token timeline"
        >
          {timeline.map((step) => (
            <Timeline.Item key={step.title} title={step.title} data-testid="timeline-step">
              <Text size="xs" c="dimmed">
                {step.hint}
              </Text>
              <Time iso={step.at} size="xs" />
            </Timeline.Item>
          ))}
        </Timeline>
        <Grants minted={minted} />
        <Tabs defaultValue="cli" keepMounted={false}>
          <Tabs.List aria-label="Reproduce this request">
            <Tabs.Tab value="cli">AWS CLI</Tabs.Tab>
            <Tabs.Tab value="js">JavaScript SDK v3</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="cli" pt="xs">
            <Snippet text={awsCliSnippet(request, endpoint)} label="AWS CLI command" />
          </Tabs.Panel>
          <Tabs.Panel value="js" pt="xs">
            <Snippet text={jsSdkSnippet(request, endpoint)} label="JavaScript SDK v3 code" />
          </Tabs.Panel>
        </Tabs>
        <Stack gap={4}>
          <Group>
            <Button variant="light" onClick={onMintAgain} loading={pendingAgain} aria-describedby={againId}>
              Mint again with these settings
            </Button>
          </Group>
          <Text size="sm" c="dimmed" id={againId} data-testid="mint-again-request">
            Repeats this request: a new token for <b>{request.userId}</b> in {roomName ? <b>{roomName}</b> : 'the room'} (
            <span style={{ wordBreak: 'break-all' }}>{request.roomArn}</span>),{' '}
            {request.capabilities.length ? request.capabilities.join(', ') : 'view only'}, {formatMinutes(request.sessionDurationInMinutes)}
            {request.attributes.length ? `, ${request.attributes.length} attribute${request.attributes.length === 1 ? '' : 's'}` : ''}. This
            token is then taken off the screen.
          </Text>
        </Stack>
      </Stack>
    </Card>
  );
});

/** The token's moments in time order: which expiry comes first depends on the session duration. */
function timelineOf(minted: MintedToken): { title: string; hint: string; at: string }[] {
  return [
    { title: 'Issued', hint: 'CreateChatToken answered.', at: minted.issuedAt },
    {
      title: 'Token expires',
      hint: 'tokenExpirationTime: no new connection after this.',
      at: minted.tokenExpirationTime,
    },
    {
      title: 'Session ends',
      hint: 'sessionExpirationTime: a connection made with this token is closed by now.',
      at: minted.sessionExpirationTime,
    },
  ].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}

function Grants({ minted }: { minted: MintedToken }) {
  const { request } = minted;
  return (
    <Table withTableBorder variant="vertical" layout="fixed" aria-label="What was granted">
      <Table.Tbody>
        <Table.Tr>
          <Table.Th w={160}>Room</Table.Th>
          <Table.Td style={{ wordBreak: 'break-all' }}>{request.roomArn}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>userId</Table.Th>
          <Table.Td data-testid="granted-user-id">
            <ExactValue value={request.userId} />
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>Capabilities</Table.Th>
          <Table.Td>
            <Group gap={4}>
              <Badge variant="outline" color="gray">
                VIEW (implicit)
              </Badge>
              {request.capabilities.map((c) => (
                <Badge key={c} variant="light">
                  {c}
                </Badge>
              ))}
            </Group>
          </Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>Session duration</Table.Th>
          <Table.Td>{formatMinutes(request.sessionDurationInMinutes)}</Table.Td>
        </Table.Tr>
        <Table.Tr>
          <Table.Th>Attributes</Table.Th>
          <Table.Td>
            {request.attributes.length === 0 ? (
              <Text size="sm" c="dimmed">
                none
              </Text>
            ) : (
              <Stack gap={2}>
                {request.attributes.map((a) => (
                  <Text key={a.key} size="sm" style={{ wordBreak: 'break-all' }}>
                    <Code>{a.key}</Code> = {a.value}
                  </Text>
                ))}
              </Stack>
            )}
          </Table.Td>
        </Table.Tr>
        {request.reason && (
          <Table.Tr>
            <Table.Th>Reason</Table.Th>
            <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{request.reason}</Table.Td>
          </Table.Tr>
        )}
      </Table.Tbody>
    </Table>
  );
}

function Snippet({ text, label }: { text: string; label: string }) {
  return (
    <Stack gap={4}>
      <Group justify="flex-end">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="default" onClick={copy} aria-label={`Copy ${label}`}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block aria-label={label} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {text}
      </Code>
    </Stack>
  );
}
