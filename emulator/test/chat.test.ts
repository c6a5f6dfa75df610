import {
  CreateChatTokenCommand,
  CreateRoomCommand,
  DeleteMessageCommand,
  DeleteRoomCommand,
  DisconnectUserCommand,
  type IvschatClient,
  SendEventCommand,
  type ChatTokenCapability,
} from '@aws-sdk/client-ivschat';
import {
  ChatRoom,
  DeleteMessageRequest,
  DisconnectUserRequest,
  SendMessageRequest,
  type ChatError,
  type ChatEvent,
  type ChatMessage,
  type DeleteMessageEvent,
  type DisconnectReason,
  type DisconnectUserEvent,
} from 'amazon-ivs-chat-messaging';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { client, start, stats, waitFor } from './helpers';

// Node 20 has no global WebSocket; the chat SDK looks it up globally.
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Opened {
  room: ChatRoom;
  messages: ChatMessage[];
  events: ChatEvent[];
  deletes: DeleteMessageEvent[];
  userDisconnects: DisconnectUserEvent[];
  disconnects: DisconnectReason[];
  tokenCalls: number;
}

let emu: RunningEmulator;
let sdk: IvschatClient;
const opened: ChatRoom[] = [];

beforeAll(async () => {
  emu = await start({ quota: false });
  sdk = client(emu);
});
afterEach(() => {
  for (const r of opened.splice(0)) if (r.state !== 'disconnected') r.disconnect();
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

async function newRoom(
  limits: { maximumMessageLength?: number; maximumMessageRatePerSecond?: number; deny?: boolean } = {},
): Promise<string> {
  const r = await sdk.send(
    new CreateRoomCommand({
      maximumMessageLength: limits.maximumMessageLength,
      maximumMessageRatePerSecond: limits.maximumMessageRatePerSecond,
      messageReviewHandler: limits.deny ? { uri: 'arn:aws:lambda:us-east-1:123456789012:function:mod', fallbackResult: 'DENY' } : undefined,
    }),
  );
  return r.arn!;
}

async function mint(
  roomArn: string,
  userId: string,
  capabilities: ChatTokenCapability[] = [],
  attributes?: Record<string, string>,
  sessionDurationInMinutes?: number,
) {
  return sdk.send(new CreateChatTokenCommand({ roomIdentifier: roomArn, userId, capabilities, attributes, sessionDurationInMinutes }));
}

async function join(
  roomArn: string,
  userId: string,
  capabilities: ChatTokenCapability[] = [],
  attributes?: Record<string, string>,
): Promise<Opened> {
  const o: Opened = {
    room: undefined as never,
    messages: [],
    events: [],
    deletes: [],
    userDisconnects: [],
    disconnects: [],
    tokenCalls: 0,
  };
  const room = new ChatRoom({
    regionOrUrl: emu.chatUrl,
    maxReconnectAttempts: 0,
    tokenProvider: async () => {
      o.tokenCalls++;
      const t = await mint(roomArn, userId, capabilities, attributes);
      return { token: t.token!, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
    },
  });
  room.logger = silent;
  room.addListener('message', (m) => o.messages.push(m));
  room.addListener('event', (e) => o.events.push(e));
  room.addListener('messageDelete', (e) => o.deletes.push(e));
  room.addListener('userDisconnect', (e) => o.userDisconnects.push(e));
  room.addListener('disconnect', (r) => o.disconnects.push(r));
  o.room = room;
  opened.push(room);
  const connected = new Promise<void>((resolve, reject) => {
    room.addListener('connect', () => resolve());
    room.addListener('disconnect', (r) => reject(new Error(`disconnected: ${r}`)));
  });
  room.connect();
  await connected;
  return o;
}

async function rejection(p: Promise<unknown>): Promise<ChatError> {
  try {
    await p;
  } catch (e) {
    return e as ChatError;
  }
  throw new Error('expected the request to be rejected');
}

/** Opens a raw socket; resolves with the socket once open, or the HTTP status of a refused upgrade. */
function rawConnect(token: string): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(emu.chatUrl, token);
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      ws.terminate();
    });
    ws.once('error', () => resolve({}));
  });
}

describe('messaging with amazon-ivs-chat-messaging', () => {
  it('sends and receives between two clients, echoing to the sender with Sender attributes', async () => {
    const arn = await newRoom();
    const alice = await join(arn, 'alice', ['SEND_MESSAGE'], { displayName: 'Ann' });
    const bob = await join(arn, 'bob');
    const sent = await alice.room.sendMessage(new SendMessageRequest('hello 👋', { kind: 'greeting' }));
    expect(sent.id).toMatch(/^[a-zA-Z0-9]{12}$/);
    expect(sent.content).toBe('hello 👋');
    expect(sent.sender).toEqual({ userId: 'alice', attributes: { displayName: 'Ann' } });
    await waitFor(() => bob.messages.length === 1, 3000, 'bob to receive');
    expect(bob.messages[0]).toMatchObject({
      id: sent.id,
      content: 'hello 👋',
      attributes: { kind: 'greeting' },
      sender: { userId: 'alice' },
    });
    expect(bob.messages[0].sendTime).toBeInstanceOf(Date);
    expect(alice.messages.map((m) => m.id)).toEqual([sent.id]);
    expect((await stats(emu)).connections).toBeGreaterThanOrEqual(2);
  });

  it('SendEvent reaches clients as EVENT with the id the API returned', async () => {
    const arn = await newRoom();
    const bob = await join(arn, 'bob');
    const r = await sdk.send(new SendEventCommand({ roomIdentifier: arn, eventName: 'app:poll', attributes: { q: '1' } }));
    await waitFor(() => bob.events.length === 1, 3000, 'event');
    expect(bob.events[0]).toMatchObject({ id: r.id, eventName: 'app:poll', attributes: { q: '1' } });
  });

  it('DELETE_MESSAGE from a moderator and the DeleteMessage API both produce messageDelete', async () => {
    const arn = await newRoom();
    const mod = await join(arn, 'mod', ['SEND_MESSAGE', 'DELETE_MESSAGE']);
    const bob = await join(arn, 'bob');
    const msg = await mod.room.sendMessage(new SendMessageRequest('oops'));
    const del = await mod.room.deleteMessage(new DeleteMessageRequest(msg.id, 'spam'));
    expect(del).toMatchObject({ messageId: msg.id, reason: 'spam' });
    await waitFor(() => bob.deletes.length === 1, 3000, 'messageDelete');
    expect(bob.deletes[0]).toMatchObject({ messageId: msg.id, reason: 'spam' });
    expect(bob.deletes[0].attributes).toMatchObject({ MessageId: msg.id, MessageID: msg.id });
    await sdk.send(new DeleteMessageCommand({ roomIdentifier: arn, id: 'abcdefghijkl', reason: 'api' }));
    await waitFor(() => bob.deletes.length === 2, 3000, 'second messageDelete');
    expect(bob.deletes[1].messageId).toBe('abcdefghijkl');
  });

  it('DISCONNECT_USER notifies the room and closes every connection of that user (serverDisconnect)', async () => {
    const arn = await newRoom();
    const mod = await join(arn, 'mod', ['DISCONNECT_USER']);
    const bob1 = await join(arn, 'bob');
    const bob2 = await join(arn, 'bob'); // two simultaneous connections per user are allowed
    const carol = await join(arn, 'carol');
    const ev = await mod.room.disconnectUser(new DisconnectUserRequest('bob', 'kick'));
    expect(ev).toMatchObject({ userId: 'bob', reason: 'kick' });
    await waitFor(() => bob1.disconnects.length === 1 && bob2.disconnects.length === 1, 3000, 'bob to be disconnected');
    expect(bob1.disconnects).toEqual(['serverDisconnect']);
    expect(bob2.disconnects).toEqual(['serverDisconnect']);
    await waitFor(() => carol.userDisconnects.length === 1, 3000, 'userDisconnect');
    expect(carol.userDisconnects[0]).toMatchObject({ userId: 'bob', reason: 'kick' });
    expect(carol.room.state).toBe('connected');
  });

  it('the DisconnectUser API does the same', async () => {
    const arn = await newRoom();
    const bob = await join(arn, 'bob');
    const carol = await join(arn, 'carol');
    await sdk.send(new DisconnectUserCommand({ roomIdentifier: arn, userId: 'bob', reason: 'api kick' }));
    await waitFor(() => bob.disconnects.length === 1, 3000, 'bob disconnect');
    expect(bob.disconnects).toEqual(['serverDisconnect']);
    await waitFor(() => carol.userDisconnects.length === 1, 3000, 'userDisconnect');
    expect(carol.userDisconnects[0]).toMatchObject({ userId: 'bob', reason: 'api kick' });
  });

  it('refuses actions the token does not grant with 403', async () => {
    const arn = await newRoom();
    const viewer = await join(arn, 'viewer');
    expect((await rejection(viewer.room.sendMessage(new SendMessageRequest('hi')))).errorCode).toBe(403);
    expect((await rejection(viewer.room.deleteMessage(new DeleteMessageRequest('abcdefghijkl')))).errorCode).toBe(403);
    expect((await rejection(viewer.room.disconnectUser(new DisconnectUserRequest('x')))).errorCode).toBe(403);
  });

  it('counts message length in code points: an emoji is one', async () => {
    const arn = await newRoom({ maximumMessageLength: 5 });
    const a = await join(arn, 'a', ['SEND_MESSAGE']);
    await a.room.sendMessage(new SendMessageRequest('😀😀😀😀😀'));
    const e = await rejection(a.room.sendMessage(new SendMessageRequest('😀😀😀😀😀😀')));
    expect(e).toMatchObject({ errorCode: 400, errorMessage: 'Message exceeds maximum length' });
  });

  it('enforces the room message rate across all clients with 429', async () => {
    const arn = await newRoom({ maximumMessageRatePerSecond: 3 });
    const a = await join(arn, 'a', ['SEND_MESSAGE']);
    const b = await join(arn, 'b', ['SEND_MESSAGE']);
    const results = await Promise.allSettled([a, b, a, b, a, b].map((c, i) => c.room.sendMessage(new SendMessageRequest(`m${i}`))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as ChatError);
    expect(ok).toHaveLength(3);
    expect(refused.map((e) => [e.errorCode, e.errorMessage])).toEqual(Array(3).fill([429, 'rate limit exceeded']));
  });

  it('a DENY review fallback rejects messages with 406 (Lambda cannot be called locally)', async () => {
    const arn = await newRoom({ deny: true });
    const a = await join(arn, 'a', ['SEND_MESSAGE']);
    expect(await rejection(a.room.sendMessage(new SendMessageRequest('hi')))).toMatchObject({ errorCode: 406 });
  });

  it('refuses message attributes over 1 KB with 413', async () => {
    const arn = await newRoom();
    const a = await join(arn, 'a', ['SEND_MESSAGE']);
    expect((await rejection(a.room.sendMessage(new SendMessageRequest('hi', { k: 'x'.repeat(1024) })))).errorCode).toBe(413);
  });

  it('DeleteRoom closes the room connections', async () => {
    const arn = await newRoom();
    const a = await join(arn, 'a');
    await sdk.send(new DeleteRoomCommand({ identifier: arn }));
    await waitFor(() => a.disconnects.length === 1, 3000, 'disconnect');
    expect(a.disconnects).toEqual(['serverDisconnect']);
  });
});

describe('handshake and token rules (raw ws)', () => {
  it('echoes the token as subprotocol; a token connects only once', async () => {
    const arn = await newRoom();
    const { token } = await mint(arn, 'u');
    const first = await rawConnect(token!);
    expect(first.ws?.protocol).toBe(token);
    first.ws?.close();
    const second = await rawConnect(token!);
    expect(second.status).toBe(401);
  });

  it('refuses unknown and tampered tokens, and tokens of deleted rooms', async () => {
    const arn = await newRoom();
    expect((await rawConnect('AQICAHnotarealtoken')).status).toBe(401);
    const { token } = await mint(arn, 'u');
    const flipped = token!.slice(0, -2) + (token!.at(-2) === 'A' ? 'B' : 'A') + token!.at(-1);
    expect((await rawConnect(flipped)).status).toBe(401);
    const { token: t2 } = await mint(arn, 'u');
    await sdk.send(new DeleteRoomCommand({ identifier: arn }));
    expect((await rawConnect(t2!)).status).toBe(401);
  });

  it('answers bad JSON with ERROR 400', async () => {
    const arn = await newRoom();
    const { ws } = await rawConnect((await mint(arn, 'u', ['SEND_MESSAGE'])).token!);
    const frame = new Promise<Record<string, unknown>>((resolve) =>
      ws!.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>)),
    );
    ws!.send('{not json');
    expect(await frame).toMatchObject({ Type: 'ERROR', ErrorCode: 400 });
    expect((await frame).Id).toMatch(/^[a-zA-Z0-9]{12}$/);
    ws!.close();
  });
});

describe('expiry', () => {
  it('refuses a token after tokenExpirationTime', async () => {
    const short = await start({ seed: false, tokenTtlSeconds: 0.3 });
    const c = client(short);
    try {
      const room = await c.send(new CreateRoomCommand({}));
      const t = await c.send(new CreateChatTokenCommand({ roomIdentifier: room.arn, userId: 'u' }));
      expect(t.tokenExpirationTime!.getTime() - Date.now()).toBeLessThanOrEqual(300);
      await new Promise((r) => setTimeout(r, 400));
      const status = await new Promise<number | undefined>((resolve) => {
        const ws = new WebSocket(short.chatUrl, t.token!);
        ws.once('unexpected-response', (_q, res) => resolve(res.statusCode));
        ws.once('open', () => resolve(101));
        ws.once('error', () => resolve(undefined));
      });
      expect(status).toBe(401);
    } finally {
      c.destroy();
      await short.close();
    }
  });

  it('at session expiry sends ERROR 401 "connection has expired" and closes', async () => {
    // sessionMinuteMs shrinks the model's 1-minute minimum session to 300 ms.
    const fast = await start({ seed: false, sessionMinuteMs: 300 });
    const c = client(fast);
    try {
      const room = await c.send(new CreateRoomCommand({}));
      const t = await c.send(new CreateChatTokenCommand({ roomIdentifier: room.arn, userId: 'u', sessionDurationInMinutes: 1 }));
      expect(t.sessionExpirationTime!.getTime() - Date.now()).toBeLessThanOrEqual(300);
      const ws = new WebSocket(fast.chatUrl, t.token!);
      const frames: Record<string, unknown>[] = [];
      ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
      const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
      expect(frames).toEqual([expect.objectContaining({ Type: 'ERROR', ErrorCode: 401, ErrorMessage: 'connection has expired' })]);
      expect(code).toBe(1000);
    } finally {
      c.destroy();
      await fast.close();
    }
  });
});
