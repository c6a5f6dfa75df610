/**
 * The words of each IVS Chat operation's failures, from real SDK errors: the console's own
 * wrappers (ListRooms, GetRoom, DisconnectUser, DeleteMessage, SendEvent) against the emulator with
 * its fault switch armed, and, last, against a closed port (connection refused: nothing was sent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
let harness: ConsoleHarness;
let rooms: typeof import('./rooms');
let moderation: typeof import('./moderation');

const fault = (operation: string, f: object) => harness.armFault({ operation, count: 1, ...f });

beforeAll(async () => {
  // One attempt per call: every armed fault is the answer the console describes.
  harness = await startConsoleHarness({ name: 'errors-by-operation', env: { IVSCHAT_TIMEOUT_MS: '400', IVSCHAT_MAX_ATTEMPTS: '1' } });
  rooms = await import('./rooms');
  moderation = await import('./moderation');
});

afterAll(async () => {
  await harness?.close().catch(() => {});
});

const disconnect = () => moderation.disconnectUser({ roomArn: ROOM, userId: 'someone', reason: 'test' });
const deleteMessage = () => moderation.deleteMessage({ roomArn: ROOM, messageId: 'AbCdEf123456', reason: 'test' });
const sendEvent = () => moderation.sendEvent({ roomArn: ROOM, eventName: 'app:test', attributes: {} });

async function failureOf(call: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>) {
  const result = await call();
  if (result.ok) throw new Error('expected a failure');
  return result.error as Awaited<ReturnType<typeof moderation.disconnectUser>> extends infer R
    ? R extends { ok: false; error: infer E }
      ? E
      : never
    : never;
}

describe('AccessDeniedException names the operation and its IAM action', () => {
  it('ListRooms: the picker says the credentials may not list rooms, not that they may not mint', async () => {
    await fault('ListRooms', { error: 'AccessDeniedException' });
    const listing = await rooms.listAllRooms({ fresh: true });
    expect(listing.failures).toHaveLength(1);
    const [{ message }] = listing.failures;
    expect(message).toContain('ivschat:ListRooms');
    expect(message).toMatch(/not allowed to list the rooms/);
    expect(message).not.toMatch(/token/i);
  });

  it('GetRoom', async () => {
    await fault('GetRoom', { error: 'AccessDeniedException' });
    const result = await rooms.getRoom(ROOM);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'AccessDeniedException', retryable: false });
    expect(result.error.message).toContain('ivschat:GetRoom');
    expect(result.error.message).not.toMatch(/token/i);
  });

  it.each([
    ['DisconnectUser', disconnect, /nobody was disconnected/],
    ['DeleteMessage', deleteMessage, /no message was deleted/],
    ['SendEvent', sendEvent, /no event was sent/],
  ] as const)('%s', async (operation, call, notDone) => {
    await fault(operation, { error: 'AccessDeniedException' });
    const error = await failureOf(call);
    expect(error.code).toBe('AccessDeniedException');
    expect(error.message).toContain(`AWS refused ${operation}`);
    expect(error.message).toContain(`ivschat:${operation}`);
    expect(error.message).toMatch(notDone);
  });
});

describe('throttling names the operation and its quota', () => {
  it.each([
    ['DisconnectUser', disconnect, '100 per second'],
    ['SendEvent', sendEvent, '100 per second'],
  ] as const)('%s', async (operation, call, quota) => {
    await fault(operation, { error: 'ThrottlingException' });
    const error = await failureOf(call);
    expect(error).toMatchObject({ code: 'ThrottlingException', retryable: true });
    expect(error.message).toContain(`AWS is throttling ${operation}`);
    expect(error.message).toContain(quota);
  });
});

describe('"outcome unknown" only when the request may have reached AWS and changes something', () => {
  it('a DisconnectUser that hangs past the timeout: may or may not have been disconnected', async () => {
    await fault('DisconnectUser', { hang: true });
    const error = await failureOf(disconnect);
    expect(error).toMatchObject({ code: 'Timeout', outcomeUnknown: true, retryable: true });
    expect(error.message).toMatch(/may or may not have been disconnected \(outcome unknown\)/);
  });

  it('a SendEvent whose connection is dropped: unknown, and not safe to repeat (it may arrive twice)', async () => {
    await fault('SendEvent', { drop: 'before' });
    const error = await failureOf(sendEvent);
    expect(error).toMatchObject({ code: 'NetworkError', outcomeUnknown: true, retryable: false });
    expect(error.message).toMatch(/may deliver it twice/);
  });

  it('a GetRoom that hangs is only a failed read: no "outcome unknown"', async () => {
    await fault('GetRoom', { hang: true });
    const result = await rooms.getRoom(ROOM);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.outcomeUnknown).toBeFalsy();
    expect(result.error.message).toMatch(/did not answer GetRoom in time\. Try again\./);
  });

  // Last: it closes the emulator.
  it('connection refused during DisconnectUser: nothing was sent, so nothing was changed (not "outcome unknown")', async () => {
    await harness.emulator.close();
    const error = await failureOf(disconnect);
    expect(error).toMatchObject({ code: 'NetworkError', retryable: true });
    expect(error.outcomeUnknown).toBeFalsy();
    expect(error.message).toMatch(/Could not reach IVS Chat \(ECONNREFUSED\), so DisconnectUser was not sent/);
    expect(error.message).toMatch(/Nothing was changed: nobody was disconnected/);
    expect(error.message).not.toMatch(/unknown/i);
  });
});
