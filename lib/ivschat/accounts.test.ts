/**
 * Several accounts against the emulator over HTTP: the default account with its own keys, staging
 * reached by assuming a role through the emulator's STS, qa by a role that wants an ExternalId. The
 * console's own code (accounts file, clients, listing, GetRoom, the one mint path) is under test;
 * the credentials come from the SDK's own provider (fromTemporaryCredentials).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

const PROD_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const STAGING_ROOM = 'arn:aws:ivschat:us-east-1:234567890123:room/StagingMain1';
const QA_ROOM = 'arn:aws:ivschat:us-east-1:345678901234:room/QaAcctMain01';
const ELSEWHERE = 'arn:aws:ivschat:us-east-1:999999999999:room/NotOurs00001';

let harness: ConsoleHarness;
let rooms: typeof import('./rooms');
let accounts: typeof import('./accounts');
let mint: typeof import('@/lib/mint/mint-token');

const admin = { staffId: 'admin-1', email: 'admin@example.com', role: 'admin' as const, via: 'ui' as const };

beforeAll(async () => {
  harness = await startConsoleHarness({ name: 'accounts' });
  const file = join(harness.dataDir, 'accounts.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      accounts: [
        { id: '123456789012', label: 'prod', regions: ['us-east-1'] },
        {
          id: '234567890123',
          label: 'staging',
          regions: ['us-east-1', 'eu-west-1'],
          credentials: { source: 'assumeRole', roleArn: 'arn:aws:iam::234567890123:role/ivschat-console', sessionName: 'console-test' },
        },
        {
          id: '345678901234',
          label: 'qa',
          regions: ['us-east-1'],
          credentials: {
            source: 'assumeRole',
            roleArn: 'arn:aws:iam::345678901234:role/ivschat-console',
            externalId: 'ivschat-console-qa',
            durationSeconds: 900,
          },
        },
      ],
    }),
  );
  process.env.IVSCHAT_ACCOUNTS_FILE = file;
  rooms = await import('./rooms');
  accounts = await import('./accounts');
  mint = await import('@/lib/mint/mint-token');
});

afterAll(async () => harness?.close());

describe('several accounts', () => {
  it('lists every account and region, each room labelled with its account', async () => {
    const listing = await rooms.listAllRooms({ fresh: true });
    expect(listing.failures).toEqual([]);
    const byArn = new Map(listing.rooms.map((r) => [r.arn, r.accountLabel]));
    expect(byArn.get(PROD_ROOM)).toBe('prod');
    expect(byArn.get(STAGING_ROOM)).toBe('staging');
    expect(byArn.get('arn:aws:ivschat:eu-west-1:234567890123:room/StgEuWest001')).toBe('staging');
    expect(byArn.get(QA_ROOM)).toBe('qa');
  });

  it("reads and mints in each room through the account its ARN names (an assumed role's, for staging and qa)", async () => {
    for (const arn of [PROD_ROOM, STAGING_ROOM, QA_ROOM]) {
      const room = await rooms.getRoom(arn);
      expect(room.ok, JSON.stringify(room)).toBe(true);
      const minted = await mint.mintToken(admin, {
        roomArn: arn,
        userId: 'ann',
        capabilities: ['SEND_MESSAGE'],
        sessionDurationInMinutes: 5,
      });
      expect(minted.ok, JSON.stringify(minted)).toBe(true);
    }
  });

  it('refuses a room in an account the file does not name, before anything is sent', async () => {
    expect(accounts.accountForArn(ELSEWHERE)).toBeNull();
    const before = await harness.createChatTokenCalls();
    const minted = await mint.mintToken(admin, { roomArn: ELSEWHERE, userId: 'ann', capabilities: [], sessionDurationInMinutes: 5 });
    expect(minted.ok).toBe(false);
    expect(await harness.createChatTokenCalls()).toBe(before);
  });

  it('reuses the assumed-role credentials instead of calling STS for every request', async () => {
    const before = (await harness.stats()).operations.AssumeRole?.received ?? 0;
    for (let i = 0; i < 5; i++) expect((await rooms.getRoom(QA_ROOM)).ok).toBe(true);
    const after = (await harness.stats()).operations.AssumeRole?.received ?? 0;
    expect(after - before).toBe(0);
  });

  it('resolves policy labels to account ids and rejects an unknown label', () => {
    expect(accounts.resolveAccountRef('qa')).toBe('345678901234');
    expect(accounts.resolveAccountRef('234567890123')).toBe('234567890123');
    expect(accounts.resolveAccountRef('nope')).toBeNull();
  });
});
