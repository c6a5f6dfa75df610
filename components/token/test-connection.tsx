'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { ChatRoom, SendMessageRequest, type ChatToken } from 'amazon-ivs-chat-messaging';
import { Alert, Badge, Button, Card, Code, Group, ScrollArea, Stack, Text, TextInput, Title } from '@mantine/core';
import { connectHereAction, type ConnectToken } from '@/lib/actions/connect-here-action';
import { deleteMessageAction } from '@/lib/actions/delete-message-action';
import { disconnectUserAction } from '@/lib/actions/disconnect-user-action';
import { chatRegionOrUrl, describeChatError, describeDisconnectReason } from '@/lib/shared/chat/messages';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';

type StreamEntry =
  | { kind: 'message'; id: string; userId: string; content: string; at: string; deleted?: string | null }
  | { kind: 'event'; id: string; name: string; attributes: Record<string, string>; at: string }
  | { kind: 'delete'; id: string; messageId: string; reason: string | null; at: string }
  | { kind: 'userDisconnect'; id: string; userId: string; reason: string | null; at: string };

type State = 'connecting' | 'connected' | 'disconnected';

const STATE_LABEL: Record<State, string> = { connecting: 'Connecting…', connected: 'Connected', disconnected: 'Disconnected' };
const STATE_COLOR: Record<State, string> = { connecting: 'yellow', connected: 'teal', disconnected: 'gray' };
// The SDK has no timeout for requests; a request nobody answers would stay pending forever.
const REQUEST_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject({ errorCode: 0, errorMessage: 'no answer from the chat service within 10 s' }), REQUEST_TIMEOUT_MS),
    ),
  ]);
}

function chatFailure(err: unknown): string {
  if (err && typeof err === 'object' && 'errorCode' in err) {
    const e = err as { errorCode?: number; errorMessage?: string };
    return e.errorCode ? describeChatError(e.errorCode, e.errorMessage) : `No answer: ${e.errorMessage ?? 'the request timed out'}.`;
  }
  return err instanceof Error ? err.message : 'The request failed.';
}

const time = (d: Date | string) => new Date(d).toISOString().slice(11, 19);

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
  const roomRef = useRef<ChatRoom | null>(null);
  const firstRef = useRef<ConnectToken | null>(first);
  const kickedRef = useRef<string | null>(null);
  const [state, setState] = useState<State>('connecting');
  const [disconnectText, setDisconnectText] = useState<string | null>(null);
  const [stream, setStream] = useState<StreamEntry[]>([]);
  const [mints, setMints] = useState(1);
  const [mintError, setMintError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [kickUserId, setKickUserId] = useState('');
  const [kickReason, setKickReason] = useState('');
  const [busy, setBusy] = useState(false);
  const caps = new Set(request.capabilities);

  const push = useCallback(
    (entry: StreamEntry) => setStream((s) => (s.some((e) => e.kind === entry.kind && e.id === entry.id) ? s : [...s, entry].slice(-200))),
    [],
  );

  useEffect(() => {
    const room = new ChatRoom({
      regionOrUrl: chatRegionOrUrl(endpoint, request.roomArn),
      maxReconnectAttempts: 2,
      tokenProvider: async (): Promise<ChatToken> => {
        const ready = firstRef.current;
        if (ready) {
          firstRef.current = null;
          return { token: ready.token, tokenExpirationTime: ready.tokenExpirationTime, sessionExpirationTime: ready.sessionExpirationTime };
        }
        const result = await connectHereAction(request);
        if (!result.ok) {
          setMintError(result.message);
          throw new Error(result.message);
        }
        setMintError(null);
        setMints((n) => n + 1);
        return {
          token: result.data.token,
          tokenExpirationTime: result.data.tokenExpirationTime,
          sessionExpirationTime: result.data.sessionExpirationTime,
        };
      },
    });
    roomRef.current = room;
    const off = [
      room.addListener('connecting', () => {
        setState('connecting');
        setDisconnectText(null);
      }),
      room.addListener('connect', () => {
        kickedRef.current = null;
        setState('connected');
      }),
      room.addListener('disconnect', (reason) => {
        setState('disconnected');
        const kicked = kickedRef.current;
        setDisconnectText(
          kicked !== null
            ? `A moderator disconnected ${request.userId}. Reason: ${kicked || '(none given)'}`
            : describeDisconnectReason(reason),
        );
      }),
      room.addListener('message', (m) =>
        push({ kind: 'message', id: m.id, userId: m.sender.userId, content: m.content, at: time(m.sendTime) }),
      ),
      room.addListener('event', (e) =>
        push({ kind: 'event', id: e.id, name: e.eventName, attributes: e.attributes ?? {}, at: time(e.sendTime) }),
      ),
      room.addListener('messageDelete', (e) => {
        setStream((s) => s.map((x) => (x.kind === 'message' && x.id === e.messageId ? { ...x, deleted: e.reason ?? '' } : x)));
        push({ kind: 'delete', id: e.id, messageId: e.messageId, reason: e.reason ?? null, at: time(e.sendTime) });
      }),
      room.addListener('userDisconnect', (e) => {
        if (e.userId === request.userId) kickedRef.current = e.reason ?? '';
        push({ kind: 'userDisconnect', id: e.id, userId: e.userId, reason: e.reason ?? null, at: time(e.sendTime) });
      }),
    ];
    room.connect();
    return () => {
      for (const unsubscribe of off) unsubscribe();
      room.disconnect();
      roomRef.current = null;
    };
  }, [endpoint, request, push]);

  const run = async (fn: (room: ChatRoom) => Promise<unknown>) => {
    const room = roomRef.current;
    if (!room) return;
    setBusy(true);
    setActionError(null);
    try {
      await withTimeout(fn(room));
      return true;
    } catch (err) {
      setActionError(chatFailure(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  // Moderation goes through the console's audited server actions (DeleteMessage / DisconnectUser on
  // the control plane, recorded with source connect-here), not over this browser's chat socket,
  // which the audit log would never see. The room's clients receive the same aws: events.
  const moderate = async (fn: () => Promise<{ ok: true } | { ok: false; message: string; fieldErrors?: Record<string, string> }>) => {
    setBusy(true);
    setActionError(null);
    try {
      const result = await fn();
      if (!result.ok) {
        const detail = Object.values(result.fieldErrors ?? {})[0];
        setActionError(detail && detail !== result.message ? `${result.message} ${detail}` : result.message);
      }
      return result.ok;
    } catch {
      setActionError('The console did not answer, so whether it was done is unknown: check the Activity view before trying again.');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const deleteMessage = (entry: { id: string; userId: string }) =>
    moderate(() =>
      deleteMessageAction({
        roomArn: request.roomArn,
        messageId: entry.id,
        reason: 'deleted from the console test connection',
        source: 'connect-here',
        senderUserId: entry.userId,
      }),
    );

  const disconnect = async () => {
    const ok = await moderate(() =>
      disconnectUserAction({
        roomArn: request.roomArn,
        userId: kickUserId.trim(),
        reason: kickReason.trim() || 'disconnected from the console test connection',
        source: 'connect-here',
      }),
    );
    if (ok) setKickReason('');
  };

  const send = async () => {
    if (!draft.trim()) return;
    if (await run((room) => room.sendMessage(new SendMessageRequest(draft)))) setDraft('');
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
          someone else is not used or consumed here, so it still works for them. Deleting a message or disconnecting a user here goes through the
          console (DeleteMessage, DisconnectUser) and is recorded as from the test connection.
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
          <Alert color="red" role="alert" data-testid="chat-error" withCloseButton onClose={() => setActionError(null)}>
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
                onDelete={(message) => void deleteMessage(message)}
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
              if (kickUserId.trim()) void disconnect();
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
            <Button variant="light" onClick={() => roomRef.current?.connect()}>
              Connect again (mints a new token)
            </Button>
          ) : (
            <Button variant="default" onClick={() => roomRef.current?.disconnect()}>
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

function StreamLine({
  entry,
  canDelete,
  onDelete,
}: {
  entry: StreamEntry;
  canDelete: boolean;
  onDelete: (message: { id: string; userId: string }) => void;
}) {
  switch (entry.kind) {
    case 'message':
      return (
        <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="stream-message">
          <Text size="xs" c="dimmed" ff="monospace">
            {entry.at}
          </Text>
          <Text size="sm" style={{ flex: 1, wordBreak: 'break-word', textDecoration: entry.deleted != null ? 'line-through' : undefined }}>
            <b>{entry.userId}</b>: {entry.content}{' '}
            <Text span size="xs" c="dimmed" ff="monospace">
              id {entry.id}
            </Text>
            {entry.deleted != null && (
              <Text span size="xs" c="red.9">
                {' '}
                deleted{entry.deleted ? `: ${entry.deleted}` : ''}
              </Text>
            )}
          </Text>
          {canDelete && entry.deleted == null && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => onDelete({ id: entry.id, userId: entry.userId })}
              aria-label={`Delete message ${entry.id}`}
            >
              Delete
            </Button>
          )}
        </Group>
      );
    case 'event':
      return (
        <Text size="sm" data-testid="stream-event">
          <Text span size="xs" c="dimmed" ff="monospace">
            {entry.at}
          </Text>{' '}
          Event <Code>{entry.name}</Code>
          {Object.keys(entry.attributes).length > 0 && <> {JSON.stringify(entry.attributes)}</>}
        </Text>
      );
    case 'delete':
      return (
        <Text size="sm" c="dimmed">
          <Text span size="xs" ff="monospace">
            {entry.at}
          </Text>{' '}
          Message {entry.messageId} deleted{entry.reason ? `: ${entry.reason}` : ''}
        </Text>
      );
    case 'userDisconnect':
      return (
        <Text size="sm" c="dimmed">
          <Text span size="xs" ff="monospace">
            {entry.at}
          </Text>{' '}
          {entry.userId} was disconnected{entry.reason ? `: ${entry.reason}` : ''}
        </Text>
      );
  }
}
