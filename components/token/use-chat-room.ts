'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { ChatRoom, SendMessageRequest, type ChatToken } from 'amazon-ivs-chat-messaging';
import { connectHereAction, type ConnectToken } from '@/lib/actions/connect-here-action';
import { chatRegionOrUrl, describeChatError, type ConnectionEnd } from '@/lib/shared/chat/messages';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';

export type StreamEntry =
  | { kind: 'message'; id: string; userId: string; content: string; at: string; deleted?: string | null }
  | { kind: 'event'; id: string; name: string; attributes: Record<string, string>; at: string }
  | { kind: 'delete'; id: string; messageId: string; reason: string | null; at: string }
  | { kind: 'userDisconnect'; id: string; userId: string; reason: string | null; at: string };

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

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
 * One chat-room connection with the official client for as long as the component lives: connect,
 * the stream of messages and events, sending, leaving, and cleanup on unmount. Tokens are minted
 * for this browser only through connectHereAction (the first may come with the click; the SDK asks
 * for a fresh one on each reconnect) and are handed to the client, never to React state.
 * Moderation is not done here: it goes through the console's audited server actions (see
 * use-moderation.ts), never over this socket, which the audit log would not see.
 */
export function useChatRoom({
  request,
  first,
  endpoint,
}: {
  request: MintTokenRequest;
  first: ConnectToken | null;
  endpoint: string | null;
}) {
  const roomRef = useRef<ChatRoom | null>(null);
  const firstRef = useRef<ConnectToken | null>(first);
  const kickedRef = useRef<string | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const [end, setEnd] = useState<ConnectionEnd | null>(null);
  const [stream, setStream] = useState<StreamEntry[]>([]);
  const [mints, setMints] = useState(first ? 1 : 0);
  const [mintError, setMintError] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

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
        setEnd(null);
      }),
      room.addListener('connect', () => {
        kickedRef.current = null;
        setState('connected');
      }),
      room.addListener('disconnect', (reason) => {
        setState('disconnected');
        const kicked = kickedRef.current;
        // IVS sends aws:DISCONNECT_USER (with the moderator's reason) to the room just before it closes this user's connections.
        setEnd(kicked !== null ? { kind: 'kicked', reason: kicked } : { kind: 'sdk', reason });
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

  /** Sends over this browser's own connection; false (and `sendError`) when refused or unanswered. */
  const sendMessage = async (content: string): Promise<boolean> => {
    const room = roomRef.current;
    if (!room) return false;
    setSending(true);
    setSendError(null);
    try {
      await withTimeout(room.sendMessage(new SendMessageRequest(content)));
      return true;
    } catch (err) {
      setSendError(chatFailure(err));
      return false;
    } finally {
      setSending(false);
    }
  };

  return {
    state,
    end,
    stream,
    mints,
    mintError,
    sendError,
    sending,
    clearSendError: () => setSendError(null),
    sendMessage,
    connect: () => roomRef.current?.connect(),
    /** Closes this browser's connection only; nobody else in the room is affected. */
    leave: () => roomRef.current?.disconnect(),
  };
}
