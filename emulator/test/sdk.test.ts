import {
  CreateChatTokenCommand,
  CreateLoggingConfigurationCommand,
  CreateRoomCommand,
  DeleteLoggingConfigurationCommand,
  DeleteMessageCommand,
  DeleteRoomCommand,
  DisconnectUserCommand,
  GetLoggingConfigurationCommand,
  GetRoomCommand,
  type IvschatClient,
  ListLoggingConfigurationsCommand,
  ListRoomsCommand,
  ListTagsForResourceCommand,
  SendEventCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLoggingConfigurationCommand,
  UpdateRoomCommand,
  paginateListRooms,
  type RoomSummary,
} from '@aws-sdk/client-ivschat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { ACCOUNT, SEED, client, control, rawFetch, signedFetch, start, stats } from './helpers';

const MISSING_ROOM = `arn:aws:ivschat:us-east-1:${ACCOUNT}:room/AAAAAAAAAAAA`;
const MISSING_LC = `arn:aws:ivschat:us-east-1:${ACCOUNT}:logging-configuration/AAAAAAAAAAAA`;

interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
  reason?: string;
  fieldList?: { name: string; message: string }[];
  resourceId?: string;
  resourceType?: string;
  limit?: number;
}

async function expectError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the call to fail');
}

let emu: RunningEmulator;
let sdk: IvschatClient;

beforeAll(async () => {
  // These tests are about semantics, not rates: room operations alone are limited to 5/s (quotas.test.ts).
  emu = await start({ quota: false });
  sdk = client(emu);
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

describe('rooms', () => {
  it('CreateRoom applies AWS defaults and returns the model members', async () => {
    const r = await sdk.send(new CreateRoomCommand({ name: 'defaults', tags: { env: 'test' } }));
    expect(r.$metadata.httpStatusCode).toBe(200);
    expect(r.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.id).toMatch(/^[a-zA-Z0-9]{12}$/);
    expect(r.arn).toBe(`arn:aws:ivschat:us-east-1:${ACCOUNT}:room/${r.id}`);
    expect(r.maximumMessageLength).toBe(500);
    expect(r.maximumMessageRatePerSecond).toBe(10);
    expect(r.messageReviewHandler).toBeUndefined();
    expect(r.tags).toEqual({ env: 'test' });
    expect(r.loggingConfigurationIdentifiers).toEqual([]);
    expect(r.createTime).toBeInstanceOf(Date);
    expect(r.updateTime?.getTime()).toBe(r.createTime?.getTime());
  });

  it('CreateRoom with a review handler defaults fallbackResult to ALLOW; unknown logging config is 404', async () => {
    const r = await sdk.send(
      new CreateRoomCommand({
        messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
        loggingConfigurationIdentifiers: [SEED.loggingUsEast1],
      }),
    );
    expect(r.messageReviewHandler).toEqual({ uri: 'arn:aws:lambda:us-east-1:123456789012:function:f', fallbackResult: 'ALLOW' });
    expect(r.loggingConfigurationIdentifiers).toEqual([SEED.loggingUsEast1]);
    const e = await expectError(sdk.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [MISSING_LC] })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.resourceId).toBe('AAAAAAAAAAAA');
  });

  it('GetRoom returns a seeded room and 404s a missing one with resourceId/resourceType', async () => {
    const r = await sdk.send(new GetRoomCommand({ identifier: SEED.qaSandbox }));
    expect(r).toMatchObject({ name: 'qa-sandbox', maximumMessageLength: 200, maximumMessageRatePerSecond: 5, tags: { env: 'qa' } });
    const e = await expectError(sdk.send(new GetRoomCommand({ identifier: MISSING_ROOM })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.resourceId).toBe('AAAAAAAAAAAA');
    expect(e.resourceType).toBe('ROOM');
  });

  it('rooms live per region: a us-west-2 room is invisible from us-east-1', async () => {
    const e = await expectError(sdk.send(new GetRoomCommand({ identifier: SEED.supportRepro })));
    expect(e.name).toBe('ResourceNotFoundException');
    const west = client(emu, 'us-west-2');
    const r = await west.send(new GetRoomCommand({ identifier: SEED.supportRepro }));
    expect(r.messageReviewHandler?.fallbackResult).toBe('DENY');
    const list = await west.send(new ListRoomsCommand({}));
    expect(list.rooms?.map((x) => x.name)).toEqual(['support-repro']);
    west.destroy();
  });

  it('GetRoom with a non-ARN identifier is a ValidationException with fieldList', async () => {
    const e = await expectError(sdk.send(new GetRoomCommand({ identifier: 'not-an-arn' })));
    expect(e.name).toBe('ValidationException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.reason).toBe('FIELD_VALIDATION_FAILED');
    expect(e.fieldList?.[0]?.name).toBe('identifier');
  });

  it('UpdateRoom changes fields, bumps updateTime and disassociates the handler with uri ""', async () => {
    const created = await sdk.send(
      new CreateRoomCommand({
        name: 'to-update',
        messageReviewHandler: { uri: 'arn:aws:lambda:us-east-1:123456789012:function:f', fallbackResult: 'DENY' },
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    const u = await sdk.send(new UpdateRoomCommand({ identifier: created.arn, name: 'updated', maximumMessageLength: 42 }));
    expect(u).toMatchObject({ name: 'updated', maximumMessageLength: 42, maximumMessageRatePerSecond: 10 });
    expect(u.messageReviewHandler?.fallbackResult).toBe('DENY');
    expect(u.updateTime!.getTime()).toBeGreaterThan(u.createTime!.getTime());
    const u2 = await sdk.send(new UpdateRoomCommand({ identifier: created.arn, messageReviewHandler: { uri: '' } }));
    expect(u2.messageReviewHandler).toBeUndefined();
    const e = await expectError(sdk.send(new UpdateRoomCommand({ identifier: MISSING_ROOM, name: 'x' })));
    expect(e.name).toBe('ResourceNotFoundException');
    const v = await expectError(sdk.send(new UpdateRoomCommand({ identifier: created.arn, maximumMessageRatePerSecond: 101 })));
    expect(v.fieldList).toEqual([{ name: 'maximumMessageRatePerSecond', message: expect.stringContaining('100') }]);
  });

  it('DeleteRoom answers 204 with an empty body and then the room is gone', async () => {
    const created = await sdk.send(new CreateRoomCommand({ name: 'to-delete' }));
    const raw = await signedFetch(emu, 'POST', '/DeleteRoom', JSON.stringify({ identifier: created.arn }));
    expect(raw.status).toBe(204);
    expect(raw.text).toBe('');
    expect(raw.headers.get('x-amzn-requestid')).toBeTruthy();
    const e = await expectError(sdk.send(new DeleteRoomCommand({ identifier: created.arn })));
    expect(e.name).toBe('ResourceNotFoundException');
    const created2 = await sdk.send(new CreateRoomCommand({ name: 'to-delete-sdk' }));
    const d = await sdk.send(new DeleteRoomCommand({ identifier: created2.arn }));
    expect(d.$metadata.httpStatusCode).toBe(204);
  });
});

describe('ListRooms', () => {
  let fresh: IvschatClient;
  const names: string[] = [];
  beforeAll(async () => {
    // A region of its own so other tests' rooms do not interfere.
    fresh = client(emu, 'ap-south-1');
    for (let i = 0; i < 57; i++) {
      const r = await fresh.send(
        new CreateRoomCommand({
          name: i % 2 === 0 ? 'even' : `odd-${i}`,
          messageReviewHandler: i % 10 === 0 ? { uri: 'arn:aws:lambda:ap-south-1:123456789012:function:mod' } : undefined,
        }),
      );
      names.push(r.name!);
    }
  });
  afterAll(() => fresh.destroy());

  it('defaults to 50 per page, newest updateTime first, and omits nextToken on the last page', async () => {
    const p1 = await fresh.send(new ListRoomsCommand({}));
    expect(p1.rooms).toHaveLength(50);
    expect(p1.nextToken).toBeTruthy();
    const p2 = await fresh.send(new ListRoomsCommand({ nextToken: p1.nextToken }));
    expect(p2.rooms).toHaveLength(7);
    expect(p2.nextToken).toBeUndefined();
    const all = [...p1.rooms!, ...p2.rooms!];
    expect(new Set(all.map((r) => r.id)).size).toBe(57);
    expect(all.map((r) => r.name)).toEqual([...names].reverse());
    const times = all.map((r) => r.updateTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // RoomSummary has no message limits.
    expect(all[0]).not.toHaveProperty('maximumMessageLength');
  });

  it('paginates with maxResults through the SDK paginator', async () => {
    const seen: RoomSummary[] = [];
    let pages = 0;
    for await (const page of paginateListRooms({ client: fresh, pageSize: 20 }, {})) {
      pages++;
      seen.push(...(page.rooms ?? []));
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(57);
  });

  it('filters by name, messageReviewHandlerUri and loggingConfigurationIdentifier', async () => {
    const even = await fresh.send(new ListRoomsCommand({ name: 'even' }));
    expect(even.rooms).toHaveLength(29);
    const mod = await fresh.send(new ListRoomsCommand({ messageReviewHandlerUri: 'arn:aws:lambda:ap-south-1:123456789012:function:mod' }));
    expect(mod.rooms).toHaveLength(6);
    const logged = await sdk.send(new ListRoomsCommand({ loggingConfigurationIdentifier: SEED.loggingUsEast1 }));
    expect(logged.rooms?.map((r) => r.name)).toContain('main-stage');
    expect(logged.rooms?.every((r) => r.loggingConfigurationIdentifiers?.includes(SEED.loggingUsEast1))).toBe(true);
  });

  it('rejects a garbage or mismatched nextToken with ValidationException', async () => {
    const e = await expectError(fresh.send(new ListRoomsCommand({ nextToken: 'garbage!' })));
    expect(e.name).toBe('ValidationException');
    expect(e.fieldList?.[0]?.name).toBe('nextToken');
    const p1 = await fresh.send(new ListRoomsCommand({ maxResults: 5 }));
    const e2 = await expectError(fresh.send(new ListRoomsCommand({ name: 'even', nextToken: p1.nextToken })));
    expect(e2.name).toBe('ValidationException');
    const e3 = await expectError(fresh.send(new ListRoomsCommand({ maxResults: 51 })));
    expect(e3.fieldList?.[0]?.name).toBe('maxResults');
  });
});

describe('CreateChatToken', () => {
  it('returns a base64url token and ISO expiry times', async () => {
    const before = Date.now();
    const r = await sdk.send(
      new CreateChatTokenCommand({
        roomIdentifier: SEED.mainStage,
        userId: 'alice',
        capabilities: ['SEND_MESSAGE'],
        sessionDurationInMinutes: 30,
      }),
    );
    expect(r.token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(r.tokenExpirationTime!.getTime()).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(Math.abs(r.sessionExpirationTime!.getTime() - (before + 30 * 60_000))).toBeLessThan(5000);
    const raw = await signedFetch(emu, 'POST', '/CreateChatToken', JSON.stringify({ roomIdentifier: SEED.mainStage, userId: 'bob' }));
    expect(raw.json.tokenExpirationTime).toMatch(/Z$/);
    expect(raw.json.sessionExpirationTime).toMatch(/Z$/);
  });

  it('404s a missing room and validates userId, capabilities, duration and the 1 KB attributes rule', async () => {
    const nf = await expectError(sdk.send(new CreateChatTokenCommand({ roomIdentifier: MISSING_ROOM, userId: 'u' })));
    expect(nf.name).toBe('ResourceNotFoundException');
    const bad = await expectError(
      sdk.send(
        new CreateChatTokenCommand({
          roomIdentifier: SEED.mainStage,
          userId: '',
          capabilities: ['BOGUS' as never],
          sessionDurationInMinutes: 181,
        }),
      ),
    );
    expect(bad.name).toBe('ValidationException');
    expect(bad.fieldList?.map((f) => f.name).sort()).toEqual(['capabilities', 'sessionDurationInMinutes', 'userId']);
    const big = await expectError(
      sdk.send(new CreateChatTokenCommand({ roomIdentifier: SEED.mainStage, userId: 'u', attributes: { k: 'é'.repeat(512) } })),
    );
    expect(big.fieldList).toEqual([{ name: 'attributes', message: expect.stringContaining('1024') }]);
  });
});

describe('SendEvent / DeleteMessage / DisconnectUser', () => {
  it('SendEvent returns a 12-char id; missing room 404; bad eventName 400', async () => {
    const r = await sdk.send(new SendEventCommand({ roomIdentifier: SEED.mainStage, eventName: 'app:hello', attributes: { a: 'b' } }));
    expect(r.id).toMatch(/^[a-zA-Z0-9]{12}$/);
    expect((await expectError(sdk.send(new SendEventCommand({ roomIdentifier: MISSING_ROOM, eventName: 'x' })))).name).toBe(
      'ResourceNotFoundException',
    );
    const v = await expectError(sdk.send(new SendEventCommand({ roomIdentifier: SEED.mainStage, eventName: '' })));
    expect(v.fieldList?.[0]?.name).toBe('eventName');
  });

  it('DeleteMessage returns an operation id; the message id must be 12 alphanumerics', async () => {
    const r = await sdk.send(new DeleteMessageCommand({ roomIdentifier: SEED.mainStage, id: 'abcdefABCDEF', reason: 'spam' }));
    expect(r.id).toMatch(/^[a-zA-Z0-9]{12}$/);
    const v = await expectError(sdk.send(new DeleteMessageCommand({ roomIdentifier: SEED.mainStage, id: 'short' })));
    expect(v.fieldList?.[0]?.name).toBe('id');
    expect((await expectError(sdk.send(new DeleteMessageCommand({ roomIdentifier: MISSING_ROOM, id: 'abcdefABCDEF' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('DisconnectUser answers {} and validates reason length', async () => {
    const r = await signedFetch(emu, 'POST', '/DisconnectUser', JSON.stringify({ roomIdentifier: SEED.mainStage, userId: 'nobody' }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({});
    const v = await expectError(
      sdk.send(new DisconnectUserCommand({ roomIdentifier: SEED.mainStage, userId: 'u', reason: 'x'.repeat(257) })),
    );
    expect(v.fieldList?.[0]?.name).toBe('reason');
    expect((await expectError(sdk.send(new DisconnectUserCommand({ roomIdentifier: MISSING_ROOM, userId: 'u' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('logging configurations', () => {
  it('full lifecycle: create, get, list, update, conflict on delete while in use, delete (204)', async () => {
    const c = await sdk.send(
      new CreateLoggingConfigurationCommand({
        name: 'lc-1',
        destinationConfiguration: { s3: { bucketName: 'my-bucket' } },
        tags: { t: '1' },
      }),
    );
    expect(c.arn).toBe(`arn:aws:ivschat:us-east-1:${ACCOUNT}:logging-configuration/${c.id}`);
    expect(c.state).toBe('ACTIVE');
    expect(c.destinationConfiguration).toEqual({ s3: { bucketName: 'my-bucket' } });
    const g = await sdk.send(new GetLoggingConfigurationCommand({ identifier: c.arn }));
    expect(g).toMatchObject({ name: 'lc-1', tags: { t: '1' }, state: 'ACTIVE' });
    const l = await sdk.send(new ListLoggingConfigurationsCommand({}));
    expect(l.loggingConfigurations?.map((x) => x.arn)).toEqual(expect.arrayContaining([c.arn, SEED.loggingUsEast1]));
    expect(l.nextToken).toBeUndefined();
    const u = await sdk.send(
      new UpdateLoggingConfigurationCommand({ identifier: c.arn, destinationConfiguration: { firehose: { deliveryStreamName: 'fh' } } }),
    );
    expect(u.destinationConfiguration).toEqual({ firehose: { deliveryStreamName: 'fh' } });
    expect(u.name).toBe('lc-1');

    const room = await sdk.send(new CreateRoomCommand({ loggingConfigurationIdentifiers: [c.arn!] }));
    const conflict = await expectError(sdk.send(new DeleteLoggingConfigurationCommand({ identifier: c.arn })));
    expect(conflict.name).toBe('ConflictException');
    expect(conflict.$metadata.httpStatusCode).toBe(409);
    expect(conflict.resourceId).toBe(c.id);
    await sdk.send(new UpdateRoomCommand({ identifier: room.arn, loggingConfigurationIdentifiers: [] }));
    const raw = await signedFetch(emu, 'POST', '/DeleteLoggingConfiguration', JSON.stringify({ identifier: c.arn }));
    expect(raw.status).toBe(204);
    expect(raw.text).toBe('');
    expect((await expectError(sdk.send(new GetLoggingConfigurationCommand({ identifier: c.arn })))).name).toBe('ResourceNotFoundException');
  });

  it('rejects a destination with zero or two union members, and enforces the 10-per-region quota (402)', async () => {
    const none = await expectError(sdk.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: {} as never })));
    expect(none.fieldList?.[0]?.name).toBe('destinationConfiguration');
    const two = await signedFetch(
      emu,
      'POST',
      '/CreateLoggingConfiguration',
      JSON.stringify({ destinationConfiguration: { s3: { bucketName: 'abc' }, firehose: { deliveryStreamName: 'x' } } }),
    );
    expect(two.status).toBe(400);
    const quotaClient = client(emu, 'ca-central-1');
    for (let i = 0; i < 10; i++) {
      await quotaClient.send(
        new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: `g${i}` } } }),
      );
    }
    const q = await expectError(
      quotaClient.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g' } } })),
    );
    expect(q.name).toBe('ServiceQuotaExceededException');
    expect(q.$metadata.httpStatusCode).toBe(402);
    expect(q.limit).toBe(10);
    const page = await quotaClient.send(new ListLoggingConfigurationsCommand({ maxResults: 4 }));
    expect(page.loggingConfigurations).toHaveLength(4);
    expect(page.nextToken).toBeTruthy();
    quotaClient.destroy();
  });
});

describe('tags', () => {
  it('tag, list, untag on a room and on a logging configuration; missing ARN is 404', async () => {
    const room = await sdk.send(new CreateRoomCommand({ tags: { a: '1' } }));
    await sdk.send(new TagResourceCommand({ resourceArn: room.arn, tags: { b: '2', 'with space': 'v' } }));
    expect((await sdk.send(new ListTagsForResourceCommand({ resourceArn: room.arn }))).tags).toEqual({ a: '1', b: '2', 'with space': 'v' });
    const un = await sdk.send(new UntagResourceCommand({ resourceArn: room.arn, tagKeys: ['a', 'with space', 'never-there'] }));
    expect(un.$metadata.httpStatusCode).toBe(200);
    expect((await sdk.send(new ListTagsForResourceCommand({ resourceArn: room.arn }))).tags).toEqual({ b: '2' });
    expect((await sdk.send(new GetRoomCommand({ identifier: room.arn }))).tags).toEqual({ b: '2' });

    await sdk.send(new TagResourceCommand({ resourceArn: SEED.loggingUsEast1, tags: { extra: 'x' } }));
    expect((await sdk.send(new ListTagsForResourceCommand({ resourceArn: SEED.loggingUsEast1 }))).tags).toMatchObject({ extra: 'x' });

    const nf = await expectError(sdk.send(new ListTagsForResourceCommand({ resourceArn: MISSING_ROOM })));
    expect(nf.name).toBe('ResourceNotFoundException');
    const bad = await expectError(sdk.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:s3:::bucket' })));
    expect(bad.fieldList?.[0]?.name).toBe('resourceArn');
  });

  it('caps a resource at 50 tags in total', async () => {
    const room = await sdk.send(new CreateRoomCommand({ tags: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v'])) }));
    const e = await expectError(
      sdk.send(
        new TagResourceCommand({ resourceArn: room.arn, tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`n${i}`, 'v'])) }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.fieldList?.[0]?.name).toBe('tags');
  });
});

describe('protocol errors', () => {
  it('refuses a wrong secret, an unknown key and an unsigned request with 403', async () => {
    const wrong = client(emu, 'us-east-1', { accessKeyId: 'test', secretAccessKey: 'nope' });
    const e1 = await expectError(wrong.send(new ListRoomsCommand({})));
    expect(e1.name).toBe('InvalidSignatureException');
    expect(e1.$metadata.httpStatusCode).toBe(403);
    wrong.destroy();
    const unknown = client(emu, 'us-east-1', { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'test' });
    const e2 = await expectError(unknown.send(new ListRoomsCommand({})));
    expect(e2.name).toBe('UnrecognizedClientException');
    expect(e2.$metadata.httpStatusCode).toBe(403);
    unknown.destroy();
    const unsigned = await rawFetch(emu, '/ListRooms', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(unsigned.json.message).toBe('Missing Authentication Token');
  });

  it('an unknown route is ValidationException UNKNOWN_OPERATION', async () => {
    const r = await signedFetch(emu, 'POST', '/NoSuchOperation', '{}');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(r.json.reason).toBe('UNKNOWN_OPERATION');
    expect(typeof r.json.message).toBe('string');
    const wrongMethod = await signedFetch(emu, 'GET', '/CreateRoom');
    expect(wrongMethod.json.reason).toBe('UNKNOWN_OPERATION');
  });

  it('a body that is not JSON is a ValidationException, and the emulator keeps serving', async () => {
    const r = await signedFetch(emu, 'POST', '/CreateRoom', '{"name": ');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('ValidationException');
    const arr = await signedFetch(emu, 'POST', '/CreateRoom', '[1,2]');
    expect(arr.status).toBe(400);
    const wrongType = await signedFetch(emu, 'POST', '/CreateRoom', JSON.stringify({ maximumMessageLength: '12' }));
    expect(wrongType.json.fieldList).toEqual([{ name: 'maximumMessageLength', message: expect.any(String) }]);
    expect((await sdk.send(new ListRoomsCommand({}))).$metadata.httpStatusCode).toBe(200);
  });
});

describe('fault switch and stats', () => {
  it('ThrottlingException twice, then success; stats count every call', async () => {
    await control(emu, 'reset');
    const f = await control(emu, 'faults', { operation: 'CreateChatToken', count: 2, error: 'ThrottlingException' });
    expect(f.status).toBe(200);
    expect((await rawFetch(emu, '/_emulator/faults')).json.faults).toHaveLength(1);
    const call = () => sdk.send(new CreateChatTokenCommand({ roomIdentifier: SEED.mainStage, userId: 'u' }));
    const e1 = await expectError(call());
    expect(e1.name).toBe('ThrottlingException');
    expect(e1.$metadata.httpStatusCode).toBe(429);
    expect((await expectError(call())).name).toBe('ThrottlingException');
    await call();
    const s = await stats(emu);
    expect(s.operations.CreateChatToken).toEqual({ received: 3, succeeded: 1, failed: 2 });
    expect(s.tokensIssued).toBe(1);
    expect(s.operations.GetRoom.received).toBe(0);
  });

  it('injects AccessDenied, PendingVerification and a plain 500', async () => {
    await control(emu, 'faults', { operation: 'GetRoom', error: 'AccessDeniedException' });
    await control(emu, 'faults', { operation: 'GetRoom', error: 'PendingVerification' });
    await control(emu, 'faults', { operation: 'GetRoom', error: 'InternalServerError' });
    const call = () => sdk.send(new GetRoomCommand({ identifier: SEED.mainStage }));
    const a = await expectError(call());
    expect([a.name, a.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
    const p = await expectError(call());
    expect([p.name, p.$metadata.httpStatusCode]).toEqual(['PendingVerification', 403]);
    const i = await expectError(call());
    expect(i.$metadata.httpStatusCode).toBe(500);
    await call();
  });

  it('rejects unknown operations and errors in a fault spec', async () => {
    expect((await control(emu, 'faults', { operation: 'Nope', error: 'ThrottlingException' })).status).toBe(400);
    expect((await control(emu, 'faults', { operation: 'GetRoom', error: 'NopeException' })).status).toBe(400);
  });

  it('delays a call', async () => {
    await control(emu, 'faults', { operation: 'ListRooms', delayMs: 300 });
    const t0 = Date.now();
    await sdk.send(new ListRoomsCommand({}));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('drops the connection before handling, or after the token was issued', async () => {
    await control(emu, 'reset');
    await control(emu, 'faults', { operation: 'CreateChatToken', drop: 'before' });
    await expectError(sdk.send(new CreateChatTokenCommand({ roomIdentifier: SEED.mainStage, userId: 'u' })));
    expect((await stats(emu)).tokensIssued).toBe(0);
    await control(emu, 'faults', { operation: 'CreateChatToken', drop: 'after' });
    await expectError(sdk.send(new CreateChatTokenCommand({ roomIdentifier: SEED.mainStage, userId: 'u' })));
    const s = await stats(emu);
    expect(s.tokensIssued).toBe(1);
    expect(s.operations.CreateChatToken.received).toBe(2);
  });

  it('hang never answers until the emulator closes', async () => {
    const h = await start({ seed: false, faults: [{ operation: 'ListRooms', hang: true }] });
    const c = client(h);
    const pending = c.send(new ListRoomsCommand({}));
    const settled = await Promise.race([
      pending.then(
        () => 'answered',
        () => 'failed',
      ),
      new Promise((r) => setTimeout(() => r('pending'), 300)),
    ]);
    expect(settled).toBe('pending');
    await h.close();
    await expectError(pending);
    c.destroy();
  });

  it('DELETE /_emulator/faults clears pending faults', async () => {
    await control(emu, 'faults', { operation: 'GetRoom', count: 5, error: 'AccessDeniedException' });
    await control(emu, 'faults', undefined, 'DELETE');
    await sdk.send(new GetRoomCommand({ identifier: SEED.mainStage }));
  });
});

describe('CreateChatToken quota', () => {
  it('throttles past 200/s per account, and not at all when switched off', async () => {
    // A long window counts the same 200 per window, so a loaded machine cannot spread the burst out.
    const q = await start({ seed: false, quotaWindowMs: 60_000 });
    const c = client(q);
    try {
      const room = await c.send(new CreateRoomCommand({}));
      const burst = async (): Promise<SdkError[]> => {
        const results = await Promise.allSettled(
          Array.from({ length: 250 }, (_, i) => c.send(new CreateChatTokenCommand({ roomIdentifier: room.arn, userId: `u${i}` }))),
        );
        return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as SdkError);
      };
      const failures = await burst();
      expect(failures.length).toBe(50);
      expect(failures.every((f) => f.name === 'ThrottlingException' && f.$metadata.httpStatusCode === 429 && f.limit === 200)).toBe(true);
      expect((await control(q, 'quota', { enabled: false })).json.enabled).toBe(false);
      expect(await burst()).toEqual([]);
    } finally {
      c.destroy();
      await q.close();
    }
  });
});
