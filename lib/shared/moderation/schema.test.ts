import { describe, expect, it } from 'vitest';
import { chatRegionOrUrl, describeChatError, describeConnection } from '@/lib/shared/chat/messages';
import {
  connectHereReason,
  CONNECT_HERE_REASON_PREFIX,
  deleteMessageSchema,
  denylistEntrySchema,
  sendEventSchema,
} from '@/lib/shared/moderation/schema';

const ROOM = 'arn:aws:ivschat:eu-west-1:123456789012:room/EuCommunity1';

describe('moderation schemas and helpers', () => {
  it('the chat URL is the ws:// form of an endpoint override, else the room region', () => {
    expect(chatRegionOrUrl('http://127.0.0.1:4577', ROOM)).toBe('ws://127.0.0.1:4577');
    expect(chatRegionOrUrl('https://chat.example.com/', ROOM)).toBe('wss://chat.example.com');
    expect(chatRegionOrUrl(null, ROOM)).toBe('eu-west-1');
  });

  it('marks connect-here mints and keeps the reason within 256 characters, whole code points', () => {
    expect(connectHereReason('')).toBe(`${CONNECT_HERE_REASON_PREFIX}test connection from the console`);
    const long = connectHereReason('😀'.repeat(200));
    expect(long.startsWith(CONNECT_HERE_REASON_PREFIX)).toBe(true);
    expect(long.length).toBeLessThanOrEqual(256);
    expect(/[\uD800-\uDBFF]$/.test(long)).toBe(false);
  });

  it('message ids are 12 letters and digits; event names are not aws:; attributes count to 1 KB', () => {
    expect(deleteMessageSchema.safeParse({ roomArn: ROOM, messageId: 'AbCdEf123456', reason: 'r' }).success).toBe(true);
    expect(deleteMessageSchema.safeParse({ roomArn: ROOM, messageId: 'short', reason: 'r' }).success).toBe(false);
    expect(sendEventSchema.safeParse({ roomArn: ROOM, eventName: 'aws:DELETE_MESSAGE' }).success).toBe(false);
    expect(
      sendEventSchema.safeParse({ roomArn: ROOM, eventName: 'app:x', attributes: [{ key: 'k', value: 'x'.repeat(1023) }] }).success,
    ).toBe(true);
    expect(
      sendEventSchema.safeParse({ roomArn: ROOM, eventName: 'app:x', attributes: [{ key: 'k', value: 'x'.repeat(1024) }] }).success,
    ).toBe(false);
  });

  it('deny-list entries: every room when the room is empty; the end time must be in the future', () => {
    expect(denylistEntrySchema.parse({ userId: 'u', reason: 'r' })).toMatchObject({ roomArn: '', expiresAt: null, disconnectNow: false });
    expect(denylistEntrySchema.safeParse({ userId: 'u', reason: 'r', expiresAt: '2000-01-01T00:00:00Z' }).success).toBe(false);
    expect(denylistEntrySchema.safeParse({ userId: 'u', reason: '' }).success).toBe(false);
  });

  it('a deny-list end time without a zone is UTC, whatever the zone of the browser or the server', () => {
    const parsed = denylistEntrySchema.parse({ userId: 'u', reason: 'r', expiresAt: '2030-01-02T03:04' });
    expect(parsed.expiresAt).toBe('2030-01-02T03:04:00.000Z');
    expect(denylistEntrySchema.parse({ userId: 'u', reason: 'r', expiresAt: '2030-01-02 03:04:05' }).expiresAt).toBe(
      '2030-01-02T03:04:05.000Z',
    );
    // A zone given is kept.
    expect(denylistEntrySchema.parse({ userId: 'u', reason: 'r', expiresAt: '2030-01-02T03:04:00-08:00' }).expiresAt).toBe(
      '2030-01-02T11:04:00.000Z',
    );
    expect(denylistEntrySchema.parse({ userId: 'u', reason: 'r' }).source).toBe('ui');
    expect(denylistEntrySchema.safeParse({ userId: 'u', reason: 'r', source: 'api' }).success).toBe(false);
  });

  it('a connection header says connected only while connected, and gives the reason it ended', () => {
    expect(describeConnection('connected', 'ann', null)).toBe('Connected as ann');
    expect(describeConnection('connecting', 'ann', null)).toBe('Connecting as ann…');
    expect(describeConnection('disconnected', 'ann', { kind: 'kicked', reason: 'spam' })).toBe('Disconnected by a moderator: spam');
    expect(describeConnection('disconnected', 'ann', { kind: 'kicked', reason: '' })).toBe(
      'Disconnected by a moderator: (no reason given)',
    );
    expect(describeConnection('disconnected', 'ann', { kind: 'sdk', reason: 'clientDisconnect' })).toMatch(/^You left the room/);
    for (const reason of ['serverDisconnect', 'socketError', 'fetchTokenError', undefined]) {
      expect(describeConnection('disconnected', 'ann', { kind: 'sdk', reason })).not.toMatch(/connected as|connected to/i);
    }
  });

  it('chat error codes read as plain words', () => {
    expect(describeChatError(403)).toMatch(/capabilities/);
    expect(describeChatError(429)).toMatch(/Rate limit/);
    expect(describeChatError(406)).toMatch(/review/);
    expect(describeChatError(413, 'attributes too large')).toMatch(/Too large/);
  });
});
