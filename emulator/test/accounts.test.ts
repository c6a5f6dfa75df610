/**
 * Several accounts and STS on the emulator's endpoint, driven by the JS SDK's own STS client and
 * credential providers (fromTemporaryCredentials, fromIni with a role profile), plus raw signed
 * requests for what the SDK would never send (no session token, a wrong one, expired credentials).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateChatTokenCommand, GetRoomCommand, IvschatClient, ListRoomsCommand } from '@aws-sdk/client-ivschat';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { ACCOUNT, SEED, signedFetch, sleep, start, stats } from './helpers';

const STAGING = '234567890123';
const QA = '345678901234';
const STAGING_ROLE = `arn:aws:iam::${STAGING}:role/ivschat-console`;
const QA_ROLE = `arn:aws:iam::${QA}:role/ivschat-console`;
const QA_EXTERNAL_ID = 'ivschat-console-qa';
const DEFAULT_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };
const STAGING_KEYS = { accessKeyId: 'staging', secretAccessKey: 'staging' };

interface SdkError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
  Type?: string;
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
const clients: { destroy(): void }[] = [];

function sts(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = DEFAULT_KEYS): STSClient {
  const c = new STSClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

function ivschat(credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider, region = 'us-east-1'): IvschatClient {
  const c = new IvschatClient({ endpoint: emu.endpoint, region, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function roomArns(c: IvschatClient): Promise<string[]> {
  return ((await c.send(new ListRoomsCommand({}))).rooms ?? []).map((r) => r.arn!).sort();
}

beforeAll(async () => {
  emu = await start({ quota: false });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await emu.close();
});

describe('accounts', () => {
  it('keeps the default account, its keys and its seeded rooms, and seeds staging and qa with their own', async () => {
    expect(emu.accounts.map((a) => [a.id, a.label, a.accessKeyIds])).toEqual([
      [ACCOUNT, 'prod', ['test']],
      [STAGING, 'staging', ['staging']],
      [QA, 'qa', ['qa']],
    ]);
    expect(emu.seededRooms.map((r) => r.arn)).toContain(SEED.mainStage);
    expect(await roomArns(ivschat(DEFAULT_KEYS))).toEqual([SEED.mainStage, SEED.qaSandbox, SEED.qaLoad].sort());
    expect(await roomArns(ivschat(STAGING_KEYS))).toEqual([`arn:aws:ivschat:us-east-1:${STAGING}:room/StagingMain1`]);
    // Another account's room is not found, as in AWS (the ARN names an account the caller is not).
    const e = await expectError(ivschat(STAGING_KEYS).send(new GetRoomCommand({ identifier: SEED.mainStage })));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
  });

  it('maps keys given as an option to their account', async () => {
    const other = await start({
      seed: false,
      accounts: [
        {
          id: '999988887777',
          label: 'sandbox',
          accessKeys: [{ accessKeyId: 'AKIASANDBOX', secretAccessKey: 'sandbox-secret', userName: 'ci' }],
          rooms: [{ id: 'SandboxRoom1', region: 'ap-south-1', name: 'sandbox' }],
        },
      ],
    });
    try {
      const keys = { accessKeyId: 'AKIASANDBOX', secretAccessKey: 'sandbox-secret' };
      const c = new IvschatClient({ endpoint: other.endpoint, region: 'ap-south-1', credentials: keys, maxAttempts: 1 });
      const s = new STSClient({ endpoint: other.endpoint, region: 'us-east-1', credentials: keys, maxAttempts: 1 });
      expect(await roomArns(c)).toEqual(['arn:aws:ivschat:ap-south-1:999988887777:room/SandboxRoom1']);
      expect(await s.send(new GetCallerIdentityCommand({}))).toMatchObject({
        Account: '999988887777',
        Arn: 'arn:aws:iam::999988887777:user/ci',
        UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      });
      c.destroy();
      s.destroy();
    } finally {
      await other.close();
    }
  });
});

describe('STS GetCallerIdentity and AssumeRole (JS SDK STS client)', () => {
  it('answers who a long-term key is', async () => {
    expect(await sts().send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:user/emulator`,
    });
    expect(await sts(STAGING_KEYS).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: STAGING,
      Arn: `arn:aws:iam::${STAGING}:user/staging-admin`,
    });
  });

  it('assumes a role in another account: temporary credentials that act in that account', async () => {
    const before = Date.now();
    const out = await sts().send(
      new AssumeRoleCommand({ RoleArn: STAGING_ROLE, RoleSessionName: 'ann@example.com', DurationSeconds: 900, SourceIdentity: 'ann' }),
    );
    const creds = out.Credentials!;
    expect(creds.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(creds.SecretAccessKey).toHaveLength(40);
    expect(creds.SessionToken!.length).toBeGreaterThan(100);
    // Expiration honours DurationSeconds, to the second.
    expect(creds.Expiration!.getTime()).toBeGreaterThanOrEqual(Math.floor((before + 900_000) / 1000) * 1000 - 1000);
    expect(creds.Expiration!.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${STAGING}:assumed-role/ivschat-console/ann@example.com`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:ann@example\.com$/),
    });
    expect(out.SourceIdentity).toBe('ann');

    const temp = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! };
    expect(await sts(temp).send(new GetCallerIdentityCommand({}))).toEqual(
      expect.objectContaining({ Account: STAGING, Arn: out.AssumedRoleUser!.Arn, UserId: out.AssumedRoleUser!.AssumedRoleId }),
    );
    expect(await roomArns(ivschat(temp))).toEqual([`arn:aws:ivschat:us-east-1:${STAGING}:room/StagingMain1`]);
    expect(await roomArns(ivschat(temp, 'eu-west-1'))).toEqual([`arn:aws:ivschat:eu-west-1:${STAGING}:room/StgEuWest001`]);
  });

  it('defaults to one hour and allows up to the role maximum (qa: 12 hours)', async () => {
    const t0 = Date.now();
    const staging = await sts().send(new AssumeRoleCommand({ RoleArn: STAGING_ROLE, RoleSessionName: 'default-length' }));
    expect(Math.round((staging.Credentials!.Expiration!.getTime() - t0) / 60_000)).toBe(60);
    const qa = await sts().send(
      new AssumeRoleCommand({ RoleArn: QA_ROLE, RoleSessionName: 'long', ExternalId: QA_EXTERNAL_ID, DurationSeconds: 43200 }),
    );
    expect(Math.round((qa.Credentials!.Expiration!.getTime() - t0) / 60_000)).toBe(720);
  });

  it('refuses a wrong or missing ExternalId, an untrusted caller and an unknown role with the same AccessDenied', async () => {
    const denied = (arn: string, caller = `arn:aws:iam::${ACCOUNT}:user/emulator`) =>
      `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
    for (const [client, input, caller] of [
      [sts(), { RoleArn: QA_ROLE, RoleSessionName: 's1', ExternalId: 'wrong-id' }, undefined],
      [sts(), { RoleArn: QA_ROLE, RoleSessionName: 's1' }, undefined],
      [
        sts(STAGING_KEYS),
        { RoleArn: QA_ROLE, RoleSessionName: 's1', ExternalId: QA_EXTERNAL_ID },
        `arn:aws:iam::${STAGING}:user/staging-admin`,
      ],
      [sts(), { RoleArn: `arn:aws:iam::${STAGING}:role/no-such-role`, RoleSessionName: 's1' }, undefined],
    ] as const) {
      const e = await expectError(client.send(new AssumeRoleCommand(input)));
      expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual(['AccessDenied', 403, denied(input.RoleArn, caller)]);
    }
  });

  it('validates RoleSessionName, DurationSeconds and SourceIdentity as STS does', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { RoleSessionName: 'has space' },
        "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      [
        { RoleSessionName: 'x' },
        "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        { DurationSeconds: 899 },
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ],
      [
        { DurationSeconds: 43201 },
        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ],
      [{ DurationSeconds: 7200 }, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'],
      [
        { SourceIdentity: 'a b' },
        "1 validation error detected: Value 'a b' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      // ':' is outside the pattern, so the reserved aws: prefix can never be a source identity.
      [
        { SourceIdentity: 'aws:me' },
        "1 validation error detected: Value 'aws:me' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
    ];
    for (const [override, message] of cases) {
      const e = await expectError(sts().send(new AssumeRoleCommand({ RoleArn: STAGING_ROLE, RoleSessionName: 'ok', ...override })));
      expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual(['ValidationError', 400, message]);
    }
  });

  it('limits role chaining to one hour', async () => {
    const first = await sts().send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/ivschat-console`, RoleSessionName: 'hop1' }),
    );
    const c = first.Credentials!;
    const chained = sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    // The qa role trusts the default account, and a session of a role in it is a principal of that account.
    const e = await expectError(
      chained.send(new AssumeRoleCommand({ RoleArn: QA_ROLE, RoleSessionName: 'hop2', ExternalId: QA_EXTERNAL_ID, DurationSeconds: 7200 })),
    );
    expect(e.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    const ok = await chained.send(new AssumeRoleCommand({ RoleArn: QA_ROLE, RoleSessionName: 'hop2', ExternalId: QA_EXTERNAL_ID }));
    expect(ok.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${QA}:assumed-role/ivschat-console/hop2`);
  });

  it('answers errors in STS XML, as STS sends them', async () => {
    const body = new URLSearchParams({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: QA_ROLE,
      RoleSessionName: 'raw',
      ExternalId: 'nope',
    });
    const r = await signedFetch(emu, 'POST', '/', body.toString(), {
      service: 'sts',
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(r.status).toBe(403);
    expect(r.headers.get('content-type')).toBe('text/xml');
    const requestId = r.headers.get('x-amzn-requestid');
    expect(r.text).toBe(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>AccessDenied</Code>\n' +
        `    <Message>User: arn:aws:iam::${ACCOUNT}:user/emulator is not authorized to perform: sts:AssumeRole on resource: ${QA_ROLE}</Message>\n` +
        `  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    );
    const unsigned = await fetch(`${emu.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain(
      '<Code>MissingAuthenticationToken</Code>\n    <Message>Request is missing Authentication Token</Message>',
    );
    const unknown = await signedFetch(emu, 'POST', '/', 'Action=GetSessionToken&Version=2011-06-15', {
      service: 'sts',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect([unknown.status, /<Code>(\w+)<\/Code>/.exec(unknown.text)?.[1]]).toEqual([400, 'InvalidAction']);
    // Signed for the wrong service: refused the way STS refuses a bad signature.
    const wrongScope = await signedFetch(emu, 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15', {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect([wrongScope.status, /<Code>(\w+)<\/Code>/.exec(wrongScope.text)?.[1]]).toEqual([403, 'SignatureDoesNotMatch']);
  });
});

describe('temporary credentials need their session token', () => {
  async function assumed(e = emu, duration?: number) {
    const c = new STSClient({ endpoint: e.endpoint, region: 'us-east-1', credentials: DEFAULT_KEYS, maxAttempts: 1 });
    const out = await c.send(new AssumeRoleCommand({ RoleArn: STAGING_ROLE, RoleSessionName: 'tok', DurationSeconds: duration }));
    c.destroy();
    return out.Credentials!;
  }

  it('refuses a missing or wrong X-Amz-Security-Token on the IVS Chat API and on STS', async () => {
    const c = await assumed();
    const body = JSON.stringify({});
    const base = { accessKeyId: c.AccessKeyId!, secret: c.SecretAccessKey! };
    const good = await signedFetch(emu, 'POST', '/ListRooms', body, { ...base, sessionToken: c.SessionToken! });
    expect(good.status).toBe(200);
    for (const sessionToken of [undefined, `${c.SessionToken!.slice(0, -4)}AAAA`]) {
      const r = await signedFetch(emu, 'POST', '/ListRooms', body, { ...base, sessionToken });
      expect([r.status, r.headers.get('x-amzn-errortype'), r.json.message]).toEqual([
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ]);
      const s = await signedFetch(emu, 'POST', '/', 'Action=GetCallerIdentity&Version=2011-06-15', {
        ...base,
        sessionToken,
        service: 'sts',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(s.status).toBe(403);
      expect(s.text).toContain(
        '<Code>InvalidClientTokenId</Code>\n    <Message>The security token included in the request is invalid.</Message>',
      );
    }
    // The SDK, given the temporary key without its token, is refused the same way.
    const ivs = ivschat({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey! });
    const e = await expectError(ivs.send(new ListRoomsCommand({})));
    expect([e.name, e.$metadata.httpStatusCode]).toEqual(['UnrecognizedClientException', 403]);
  });

  it('refuses expired credentials with ExpiredTokenException (IVS Chat) and ExpiredToken (STS)', async () => {
    // One second of DurationSeconds lasts 4 ms here, so 900 s expire in 3.6 s.
    const fast = await start({ quota: false, stsSecondMs: 4 });
    try {
      const c = await assumed(fast, 900);
      const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
      const ivs = new IvschatClient({ endpoint: fast.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
      expect((await ivs.send(new ListRoomsCommand({}))).rooms).toHaveLength(1);
      await sleep(Math.max(0, c.Expiration!.getTime() - Date.now()) + 50);
      const e = await expectError(ivs.send(new ListRoomsCommand({})));
      expect([e.name, e.$metadata.httpStatusCode, e.message]).toEqual([
        'ExpiredTokenException',
        403,
        'The security token included in the request is expired',
      ]);
      const s = new STSClient({ endpoint: fast.endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
      const se = await expectError(s.send(new GetCallerIdentityCommand({})));
      expect([se.name, se.$metadata.httpStatusCode, se.message]).toEqual([
        'ExpiredToken',
        400,
        'The security token included in the request is expired',
      ]);
      ivs.destroy();
      s.destroy();
    } finally {
      await fast.close();
    }
  });
});

describe('the JS SDK credential providers assume the role themselves', () => {
  it('fromTemporaryCredentials with an ExternalId lands in qa and mints there', async () => {
    const assumedBefore = (await stats(emu)).sts.AssumeRole.succeeded;
    const credentials = fromTemporaryCredentials({
      masterCredentials: DEFAULT_KEYS,
      params: { RoleArn: QA_ROLE, RoleSessionName: 'provider', ExternalId: QA_EXTERNAL_ID, DurationSeconds: 900 },
      clientConfig: { endpoint: emu.endpoint, region: 'us-east-1' },
    });
    const west = ivschat(credentials, 'us-west-2');
    const qaRoom = `arn:aws:ivschat:us-west-2:${QA}:room/QaAcctWest01`;
    expect(await roomArns(west)).toEqual([qaRoom]);
    const token = await west.send(new CreateChatTokenCommand({ roomIdentifier: qaRoom, userId: 'viewer-1' }));
    expect(token.token).toMatch(/^AQICAH/);
    const e = await expectError(west.send(new GetRoomCommand({ identifier: SEED.supportRepro })));
    expect(e.name).toBe('ResourceNotFoundException');
    // The client assumed the role once and reused the credentials for its three calls.
    expect((await stats(emu)).sts.AssumeRole.succeeded - assumedBefore).toBe(1);
    expect(await sts(credentials).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: QA,
      Arn: `arn:aws:sts::${QA}:assumed-role/ivschat-console/provider`,
    });
  });

  it('fromIni with role_arn + source_profile (and external_id) assumes the role from the profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-ini-'));
    try {
      writeFileSync(join(dir, 'credentials'), '[base]\naws_access_key_id = test\naws_secret_access_key = test\n');
      writeFileSync(
        join(dir, 'config'),
        `[profile staging]\nrole_arn = ${STAGING_ROLE}\nsource_profile = base\nrole_session_name = ini-session\n\n` +
          `[profile qa]\nrole_arn = ${QA_ROLE}\nsource_profile = base\nexternal_id = ${QA_EXTERNAL_ID}\n\n` +
          `[profile qa-wrong]\nrole_arn = ${QA_ROLE}\nsource_profile = base\nexternal_id = not-it\n`,
      );
      const ini = (profile: string) =>
        fromIni({
          profile,
          filepath: join(dir, 'credentials'),
          configFilepath: join(dir, 'config'),
          clientConfig: { endpoint: emu.endpoint, region: 'us-east-1' },
        });
      expect(await roomArns(ivschat(ini('staging')))).toEqual([`arn:aws:ivschat:us-east-1:${STAGING}:room/StagingMain1`]);
      expect((await sts(ini('staging')).send(new GetCallerIdentityCommand({}))).Arn).toBe(
        `arn:aws:sts::${STAGING}:assumed-role/ivschat-console/ini-session`,
      );
      expect(await roomArns(ivschat(ini('qa')))).toEqual([`arn:aws:ivschat:us-east-1:${QA}:room/QaAcctMain01`]);
      const e = await expectError(ivschat(ini('qa-wrong')).send(new ListRoomsCommand({})));
      expect(e.name).toBe('AccessDenied');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
