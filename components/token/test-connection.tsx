'use client';

import { useEffect, useState } from 'react';
import Link from 'next/link';
import { Alert, Anchor, Badge, Button, Card, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { getRoomAction } from '@/lib/actions/get-room-action';
import type { ConnectToken } from '@/lib/actions/connect-here-action';
import { describeConnection } from '@/lib/shared/chat/messages';
import type { RoomDetail } from '@/lib/shared/rooms/view';
import { codePointLength } from '@/lib/shared/text';
import { MODEL_LIMITS } from '@/lib/shared/tokens/limits.generated';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';
import { RoomStream } from './room-stream';
import { useChatRoom, type ConnectionState } from './use-chat-room';
import { useModeration, type StreamRights } from './use-moderation';

const STATE_LABEL: Record<ConnectionState, string> = { connecting: 'Connecting…', connected: 'Connected', disconnected: 'Disconnected' };
const STATE_COLOR: Record<ConnectionState, string> = { connecting: 'yellow', connected: 'teal', disconnected: 'gray' };

/** The service's own ceiling for a room's maximumMessageLength (the model), used until the room is read. */
const SERVICE_MAX_MESSAGE_LENGTH = MODEL_LIMITS.roomMaxMessageLength.max;

type RoomRead = { status: 'loading' } | { status: 'ok'; room: RoomDetail } | { status: 'error'; message: string };

/**
 * "Mint and connect here": a moderation client in the room, with the official chat client and
 * tokens minted for this browser only (the first comes with the click; the SDK asks for a fresh one
 * on each reconnect). No token is ever rendered. Sending goes over this browser's connection;
 * deleting, disconnecting and denying go through the console's audited server actions.
 */
export function TestConnection({
  request,
  first,
  endpoint,
  onClose,
  mayModerate = false,
}: {
  request: MintTokenRequest;
  first: ConnectToken;
  endpoint: string | null;
  onClose: () => void;
  /** The member may manage the deny list (roles.<role>.mayModerate). */
  mayModerate?: boolean;
}) {
  const room = useChatRoom({ request, first, endpoint });
  const moderation = useModeration({ roomArn: request.roomArn, source: 'connect-here' });
  const { state, end, stream, mints, mintError, sendError, sending } = room;
  const [draft, setDraft] = useState('');
  const [roomRead, setRoomRead] = useState<RoomRead>({ status: 'loading' });
  const caps = new Set(request.capabilities);
  // What this token may do is what the stream offers; the server action checks the member's role
  // as it is now and refuses with the rule if it may not (a token outlives a role change).
  const rights: StreamRights = {
    deleteMessages: caps.has('DELETE_MESSAGE'),
    disconnectUsers: caps.has('DISCONNECT_USER'),
    denyUsers: mayModerate,
  };

  useEffect(() => {
    let cancelled = false;
    getRoomAction(request.roomArn).then(
      (result) => !cancelled && setRoomRead(result.ok ? { status: 'ok', room: result.data } : { status: 'error', message: result.message }),
      () => !cancelled && setRoomRead({ status: 'error', message: 'The console could not be reached.' }),
    );
    return () => {
      cancelled = true;
    };
  }, [request.roomArn]);

  const maxLength =
    roomRead.status === 'ok' && roomRead.room.maximumMessageLength != null
      ? roomRead.room.maximumMessageLength
      : SERVICE_MAX_MESSAGE_LENGTH;
  const length = codePointLength(draft);
  const over = length > maxLength;
  const connected = state === 'connected';

  const send = async () => {
    if (!draft.trim() || over) return;
    if (await room.sendMessage(draft)) setDraft('');
  };

  const roomName = roomRead.status === 'ok' && roomRead.room.name ? roomRead.room.name : null;
  const moderationHref = `/moderation?${new URLSearchParams({ room: request.roomArn })}`;

  return (
    <Card withBorder padding="lg" data-testid="test-connection" aria-labelledby="test-connection-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="sm">
              <Title order={2} size="h4" id="test-connection-title">
                Test connection
              </Title>
              <Badge color={STATE_COLOR[state]} data-testid="connection-state">
                {STATE_LABEL[state]}
              </Badge>
            </Group>
            <Text size="sm" fw={600} mt={4} data-testid="connection-header" role="status" aria-live="polite">
              {describeConnection(state, request.userId, end)}
            </Text>
            <Text size="xs" c="dimmed">
              Room {roomName ? <b>{roomName}</b> : null} <Code>{request.roomArn}</Code> · token with{' '}
              {request.capabilities.length ? request.capabilities.join(', ') : 'no capabilities (view only)'}
            </Text>
          </div>
          <Group gap="xs">
            {state === 'disconnected' ? (
              <>
                <Button variant="light" onClick={room.connect}>
                  Connect again (mints a new token)
                </Button>
                <Button variant="subtle" color="gray" onClick={onClose}>
                  Close test connection
                </Button>
              </>
            ) : (
              <Button variant="default" onClick={room.leave} aria-describedby="leave-help">
                Leave
              </Button>
            )}
          </Group>
        </Group>
        {state !== 'disconnected' && (
          <Text size="xs" c="dimmed" id="leave-help">
            Leave closes this browser&apos;s own connection only. To remove someone else, use Disconnect on one of their messages.
          </Text>
        )}
        <Alert color="blue" variant="light" title="A token connects once">
          This view mints its own tokens for this browser and never shows them: each is recorded in the audit log with the reason marked
          “[connect here]”, and the chat client mints a fresh one every time it reconnects ({mints} minted so far). A token shown to you for
          someone else is not used or consumed here. Deleting, disconnecting and denying here go through the console (DeleteMessage,
          DisconnectUser, the deny list), are checked against your role, and are recorded as from the test connection.
        </Alert>
        {mintError && (
          <Alert color="red" role="alert" title="No token for the connection">
            {mintError}
          </Alert>
        )}
        <RoomStream stream={stream} selfUserId={request.userId} rights={rights} moderation={moderation} />
        <Text size="xs" c="dimmed" data-testid="stream-rights">
          {describeRights(rights, caps)} For a userId that has sent nothing here,{' '}
          <Anchor component={Link} href={moderationHref} size="xs">
            use Moderation
          </Anchor>
          .
        </Text>
        {caps.has('SEND_MESSAGE') && (
          <form
            aria-label="Send a message"
            noValidate
            onSubmit={(ev) => {
              ev.preventDefault();
              void send();
            }}
          >
            <Group align="flex-start" wrap="nowrap">
              <TextInput
                label="Message"
                style={{ flex: 1 }}
                value={draft}
                onChange={(ev) => {
                  setDraft(ev.currentTarget.value);
                  if (sendError) room.clearSendError();
                }}
                disabled={!connected}
                error={
                  over
                    ? `At most ${maxLength} characters in this room (its maximumMessageLength); this is ${length}.`
                    : (sendError ?? undefined)
                }
                description={
                  <span>
                    <span data-testid="message-counter" aria-live="polite">
                      {length} / {maxLength} characters
                    </span>
                    {roomRead.status === 'loading' && ' (reading the room’s limit…)'}
                    {roomRead.status === 'error' &&
                      ` (the room’s limit could not be read: ${roomRead.message} IVS allows at most ${maxLength})`}
                  </span>
                }
                inputWrapperOrder={['label', 'input', 'description', 'error']}
              />
              <Button type="submit" mt={25} disabled={!connected || !draft.trim() || over} loading={sending}>
                Send
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Card>
  );
}

/** What the stream offers, and why an action is missing. */
function describeRights(rights: StreamRights, caps: Set<string>): string {
  const offered = [
    rights.deleteMessages && 'Delete (the message)',
    rights.disconnectUsers && 'Disconnect (its sender)',
    rights.denyUsers && 'Deny (its sender, with the deny list)',
  ].filter(Boolean);
  const missing = [
    !caps.has('DELETE_MESSAGE') && 'no Delete: the token has no DELETE_MESSAGE',
    !caps.has('DISCONNECT_USER') && 'no Disconnect: the token has no DISCONNECT_USER',
  ].filter(Boolean);
  const head = offered.length ? `Each message offers ${offered.join(', ')}.` : 'Your role and this token offer no moderation here.';
  return missing.length ? `${head} (${missing.join('; ')}.)` : head;
}
