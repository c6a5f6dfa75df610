'use client';

import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, ScrollArea, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ConnectToken } from '@/lib/actions/connect-here-action';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';
import { StreamLine } from './stream-line';
import { useChatRoom, type ConnectionState } from './use-chat-room';

const STATE_LABEL: Record<ConnectionState, string> = { connecting: 'Connecting…', connected: 'Connected', disconnected: 'Disconnected' };
const STATE_COLOR: Record<ConnectionState, string> = { connecting: 'yellow', connected: 'teal', disconnected: 'gray' };

/**
 * "Mint and connect here": joins the room with the official chat client, using tokens minted for
 * this browser only (the first comes with the click; the SDK asks for a fresh one on each reconnect).
 * No token is ever rendered.
 */
export function TestConnection({
  request,
  first,
  endpoint,
  onClose,
}: {
  request: MintTokenRequest;
  first: ConnectToken;
  endpoint: string | null;
  onClose: () => void;
}) {
  const room = useChatRoom({ request, first, endpoint });
  const { state, disconnectText, stream, mints, mintError, actionError, busy } = room;
  const [draft, setDraft] = useState('');
  const [kickUserId, setKickUserId] = useState('');
  const [kickReason, setKickReason] = useState('');
  const caps = new Set(request.capabilities);

  const send = async () => {
    if (!draft.trim()) return;
    if (await room.sendMessage(draft)) setDraft('');
  };

  return (
    <Card withBorder padding="lg" data-testid="test-connection" aria-labelledby="test-connection-title">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} size="h4" id="test-connection-title">
            Test connection
          </Title>
          <Group gap="xs">
            <Text size="sm">State:</Text>
            <Badge color={STATE_COLOR[state]} data-testid="connection-state" aria-live="polite">
              {STATE_LABEL[state]}
            </Badge>
          </Group>
        </Group>
        <Text size="sm">
          Connected to <Code>{request.roomArn}</Code> as <b>{request.userId}</b> with the official chat client.
        </Text>
        <Alert color="blue" variant="light" title="A token connects once">
          This view mints its own tokens for this browser and never shows them: each is recorded in the audit log with the reason marked
          “[connect here]”, and the chat client mints a fresh one every time it reconnects ({mints} minted so far). A token shown to you for
          someone else is not used or consumed here, so it still works for them. Deleting a message or disconnecting a user here goes
          through the console (DeleteMessage, DisconnectUser) and is recorded as from the test connection.
        </Alert>
        {disconnectText && (
          <Alert color={state === 'disconnected' ? 'orange' : 'gray'} role="status" data-testid="disconnect-reason" title="Disconnected">
            {disconnectText}
          </Alert>
        )}
        {mintError && (
          <Alert color="red" role="alert" title="No token for the connection">
            {mintError}
          </Alert>
        )}
        {actionError && (
          <Alert color="red" role="alert" data-testid="chat-error" withCloseButton onClose={room.clearActionError}>
            {actionError}
          </Alert>
        )}
        <ScrollArea.Autosize mah={320} type="auto">
          <Stack gap={4} role="log" aria-label="Room stream" aria-live="polite" data-testid="room-stream">
            {stream.length === 0 && (
              <Text size="sm" c="dimmed">
                Messages and events in the room appear here.
              </Text>
            )}
            {stream.map((e) => (
              <StreamLine
                key={`${e.kind}-${e.id}`}
                entry={e}
                canDelete={caps.has('DELETE_MESSAGE') && state === 'connected' && !busy}
                onDelete={(message) => void room.deleteMessage(message)}
              />
            ))}
          </Stack>
        </ScrollArea.Autosize>
        {caps.has('SEND_MESSAGE') && (
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              void send();
            }}
          >
            <Group align="flex-end" wrap="nowrap">
              <TextInput
                label="Message"
                style={{ flex: 1 }}
                value={draft}
                onChange={(ev) => setDraft(ev.currentTarget.value)}
                disabled={state !== 'connected'}
              />
              <Button type="submit" disabled={state !== 'connected' || !draft.trim()} loading={busy}>
                Send
              </Button>
            </Group>
          </form>
        )}
        {caps.has('DISCONNECT_USER') && (
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              if (kickUserId.trim()) void room.disconnectUser(kickUserId.trim(), kickReason.trim() || undefined);
            }}
          >
            <Group align="flex-end" wrap="nowrap">
              <TextInput
                label="Disconnect userId"
                value={kickUserId}
                onChange={(ev) => setKickUserId(ev.currentTarget.value)}
                disabled={state !== 'connected'}
              />
              <TextInput
                label="Disconnect reason"
                style={{ flex: 1 }}
                value={kickReason}
                onChange={(ev) => setKickReason(ev.currentTarget.value)}
                disabled={state !== 'connected'}
              />
              <Button type="submit" variant="light" color="red" disabled={state !== 'connected' || !kickUserId.trim() || busy}>
                Disconnect user
              </Button>
            </Group>
          </form>
        )}
        <Group>
          {state === 'disconnected' ? (
            <Button variant="light" onClick={room.connect}>
              Connect again (mints a new token)
            </Button>
          ) : (
            <Button variant="default" onClick={room.disconnect}>
              Disconnect
            </Button>
          )}
          <Button variant="subtle" color="gray" onClick={onClose}>
            Close test connection
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
