/**
 * Every IVS Chat operation is rate-limited per account and region at AWS's quota. The counting
 * tests widen the window (the count allowed per window stays the quota), so a loaded machine
 * that spreads a burst over more than a second cannot make them pass or fail by chance.
 */
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
} from '@aws-sdk/client-ivschat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { ACCOUNT, SEED, client, control, signedFetch, sleep, start, stats } from './helpers';

const STAGING = '234567890123';
const STAGING_ROOM = `arn:aws:ivschat:us-east-1:${STAGING}:room/StagingMain1`;
const MISSING_ROOM = `arn:aws:ivschat:us-east-1:${ACCOUNT}:room/AAAAAAAAAAAA`;
const MISSING_LC = `arn:aws:ivschat:us-east-1:${ACCOUNT}:logging-configuration/AAAAAAAAAAAA`;

type Send = (c: IvschatClient, i: number) => Promise<unknown>;

/** One call of each operation; what it does does not matter, only whether it is throttled. */
const CALLS: Record<string, [number, Send]> = {
  CreateChatToken: [200, (c, i) => c.send(new CreateChatTokenCommand({ roomIdentifier: SEED.qaLoad, userId: `u${i}` }))],
  DeleteMessage: [100, (c, i) => c.send(new DeleteMessageCommand({ roomIdentifier: SEED.qaLoad, id: `Msg${String(i).padStart(9, '0')}` }))],
  DisconnectUser: [100, (c, i) => c.send(new DisconnectUserCommand({ roomIdentifier: SEED.qaLoad, userId: `u${i}` }))],
  SendEvent: [100, (c) => c.send(new SendEventCommand({ roomIdentifier: SEED.qaLoad, eventName: 'tick' }))],
  CreateRoom: [5, (c) => c.send(new CreateRoomCommand({}))],
  GetRoom: [5, (c) => c.send(new GetRoomCommand({ identifier: SEED.qaLoad }))],
  ListRooms: [5, (c) => c.send(new ListRoomsCommand({}))],
  UpdateRoom: [5, (c) => c.send(new UpdateRoomCommand({ identifier: SEED.qaSandbox }))],
  DeleteRoom: [5, (c) => c.send(new DeleteRoomCommand({ identifier: MISSING_ROOM }))],
  CreateLoggingConfiguration: [
    3,
    (c) => c.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { cloudWatchLogs: { logGroupName: 'g' } } })),
  ],
  GetLoggingConfiguration: [3, (c) => c.send(new GetLoggingConfigurationCommand({ identifier: SEED.loggingUsEast1 }))],
  ListLoggingConfigurations: [3, (c) => c.send(new ListLoggingConfigurationsCommand({}))],
  UpdateLoggingConfiguration: [3, (c) => c.send(new UpdateLoggingConfigurationCommand({ identifier: SEED.loggingUsEast1 }))],
  DeleteLoggingConfiguration: [3, (c) => c.send(new DeleteLoggingConfigurationCommand({ identifier: MISSING_LC }))],
  TagResource: [10, (c) => c.send(new TagResourceCommand({ resourceArn: SEED.qaLoad, tags: { k: 'v' } }))],
  UntagResource: [10, (c) => c.send(new UntagResourceCommand({ resourceArn: SEED.qaLoad, tagKeys: ['k'] }))],
  ListTagsForResource: [10, (c) => c.send(new ListTagsForResourceCommand({ resourceArn: SEED.qaLoad }))],
};

interface Outcome {
  throttled: number;
  other: number;
  limits: Set<number | undefined>;
}

async function burst(c: IvschatClient, send: Send, n: number): Promise<Outcome> {
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => send(c, i)));
  const out: Outcome = { throttled: 0, other: 0, limits: new Set() };
  for (const r of results) {
    const err =
      r.status === 'rejected' ? (r.reason as { name: string; limit?: number; $metadata?: { httpStatusCode?: number } }) : undefined;
    if (err?.name === 'ThrottlingException' && err.$metadata?.httpStatusCode === 429) {
      out.throttled += 1;
      out.limits.add(err.limit);
    } else out.other += 1;
  }
  return out;
}

let emu: RunningEmulator;
let sdk: IvschatClient;

beforeAll(async () => {
  emu = await start({ quotaWindowMs: 60_000 });
  sdk = client(emu);
});
afterAll(async () => {
  sdk.destroy();
  await emu.close();
});

describe('every operation at its AWS quota, per account and region', () => {
  for (const [operation, [rate, send]] of Object.entries(CALLS)) {
    it(`${operation}: ${rate} a window, then ThrottlingException with limit ${rate}`, async () => {
      const out = await burst(sdk, send, rate + 1);
      expect(out).toEqual({ throttled: 1, other: rate, limits: new Set([rate]) });
    });
  }

  it('answers a throttle on the wire as the model says: 429, x-amzn-ErrorType, JSON body with limit', async () => {
    // GetRoom is spent for this account in us-east-1 by now.
    const r = await signedFetch(emu, 'POST', '/GetRoom', JSON.stringify({ identifier: SEED.mainStage }));
    expect(r.status).toBe(429);
    expect(r.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json).toEqual({ message: 'Rate exceeded', resourceId: 'MainStage001', resourceType: 'ROOM', limit: 5 });
  });

  it('counts each account and region on its own', async () => {
    // Same operation, spent above for the default account in us-east-1: other regions and accounts are untouched.
    const west = client(emu, 'us-west-2');
    const staging = client(emu, 'us-east-1', { accessKeyId: 'staging', secretAccessKey: 'staging' });
    try {
      expect(await burst(west, (c) => c.send(new ListRoomsCommand({})), 5)).toMatchObject({ throttled: 0 });
      expect(await burst(staging, (c) => c.send(new GetRoomCommand({ identifier: STAGING_ROOM })), 6)).toMatchObject({
        throttled: 1,
        other: 5,
      });
      const byAccount = (await stats(emu)).accounts;
      expect(byAccount[`${STAGING}/us-east-1`].GetRoom).toEqual({ calls: 6, throttled: 1 });
      expect(byAccount[`${ACCOUNT}/us-west-2`].ListRooms).toEqual({ calls: 5, throttled: 0 });
      expect(byAccount[`${ACCOUNT}/us-east-1`].CreateChatToken).toEqual({ calls: 201, throttled: 1 });
    } finally {
      west.destroy();
      staging.destroy();
    }
  });
});

describe('the quota control', () => {
  it('sets a rate and a window per operation, slides the window, and switches scopes off', async () => {
    const q = await start();
    const c = client(q);
    const staging = client(q, 'us-east-1', { accessKeyId: 'staging', secretAccessKey: 'staging' });
    const mint: Send = (x, i) => x.send(new CreateChatTokenCommand({ roomIdentifier: SEED.qaLoad, userId: `u${i}` }));
    const mintStaging: Send = (x, i) => x.send(new CreateChatTokenCommand({ roomIdentifier: STAGING_ROOM, userId: `u${i}` }));
    try {
      const set = await control(q, 'quota', { operation: 'CreateChatToken', rate: 3, windowMs: 1500 });
      expect(set.status).toBe(200);
      expect(set.json).toMatchObject({ enabled: true, limit: 3, windowMs: 1500 });
      expect(await burst(c, mint, 4)).toEqual({ throttled: 1, other: 3, limits: new Set([3]) });
      await sleep(1600);
      expect(await burst(c, mint, 3)).toMatchObject({ throttled: 0 });
      await control(q, 'quota', { windowMs: 60_000 });

      // Per account: staging's rooms family off, the default account's still on.
      await control(q, 'quota', { account: STAGING, operations: ['rooms', 'chatToken'], enabled: false });
      expect(await burst(staging, (x) => x.send(new GetRoomCommand({ identifier: STAGING_ROOM })), 12)).toMatchObject({ throttled: 0 });
      expect(await burst(staging, mintStaging, 8)).toMatchObject({ throttled: 0 });
      expect(await burst(c, (x) => x.send(new GetRoomCommand({ identifier: SEED.qaLoad })), 8)).toMatchObject({ throttled: 3 });

      // The global switch turns every operation off, as --no-quota does; DELETE restores the start-up configuration.
      expect((await control(q, 'quota', { enabled: false })).json.enabled).toBe(false);
      expect(await burst(c, mint, 10)).toMatchObject({ throttled: 0 });
      const restored = await control(q, 'quota', undefined, 'DELETE');
      expect(restored.json).toMatchObject({ enabled: true, limit: 200, windowMs: 1000, rules: [] });

      const bad = await control(q, 'quota', { operation: 'NoSuchOperation', rate: 1 });
      expect(bad.status).toBe(400);
      expect(String(bad.json.message)).toContain('unknown operation NoSuchOperation');
    } finally {
      c.destroy();
      staging.destroy();
      await q.close();
    }
  });

  it('takes per-account, per-region quotas from the accounts configuration', async () => {
    const q = await start({
      seed: false,
      quotaWindowMs: 60_000,
      accounts: [
        {
          id: '999988887777',
          accessKeys: [{ accessKeyId: 'AKIAQUOTA', secretAccessKey: 'quota' }],
          rooms: [
            { id: 'QuotaEast001', region: 'us-east-1' },
            { id: 'QuotaWest001', region: 'us-west-2' },
          ],
          quotas: [{ region: 'us-east-1', operation: 'CreateChatToken', rate: 2 }],
        },
      ],
    });
    const keys = { accessKeyId: 'AKIAQUOTA', secretAccessKey: 'quota' };
    const east = client(q, 'us-east-1', keys);
    const west = client(q, 'us-west-2', keys);
    try {
      const mintIn =
        (room: string): Send =>
        (x, i) =>
          x.send(new CreateChatTokenCommand({ roomIdentifier: room, userId: `u${i}` }));
      expect(await burst(east, mintIn('arn:aws:ivschat:us-east-1:999988887777:room/QuotaEast001'), 3)).toEqual({
        throttled: 1,
        other: 2,
        limits: new Set([2]),
      });
      expect(await burst(west, mintIn('arn:aws:ivschat:us-west-2:999988887777:room/QuotaWest001'), 3)).toMatchObject({ throttled: 0 });
    } finally {
      east.destroy();
      west.destroy();
      await q.close();
    }
  });
});
