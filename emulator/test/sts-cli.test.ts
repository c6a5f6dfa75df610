/**
 * STS and several accounts driven by clients we did not write: the AWS CLI v2 (Debian's
 * /usr/bin/aws), the AWS CLI v1 (`aws` on PATH) and Debian's python3-boto3. Each runs with a
 * throwaway HOME and config, so nothing reads the user's own AWS setup.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { control, start } from './helpers';

const STAGING = '234567890123';
const QA = '345678901234';
const STAGING_ROLE = `arn:aws:iam::${STAGING}:role/ivschat-console`;
const QA_ROLE = `arn:aws:iam::${QA}:role/ivschat-console`;
const QA_EXTERNAL_ID = 'ivschat-console-qa';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: env as NodeJS.ProcessEnv, timeout: 30_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 1 : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

function onPath(cmd: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `aws` on PATH is CLI v1 here (pyenv); Debian's package puts v2 at /usr/bin/aws. */
const v1 = onPath('aws');
const isV1 = v1 !== undefined && /aws-cli\/1\./.test(execFileSync(v1, ['--version'], { encoding: 'utf8' }) || '');
const CLIS: { name: string; path?: string }[] = [
  { name: 'AWS CLI v2', path: existsSync('/usr/bin/aws') ? '/usr/bin/aws' : undefined },
  { name: 'AWS CLI v1', path: isV1 ? v1 : undefined },
];
const hasBoto3 = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import boto3'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let emu: RunningEmulator;
let home: string;

beforeAll(async () => {
  emu = await start({ quota: false });
  home = mkdtempSync(join(tmpdir(), 'emu-cli-'));
  writeFileSync(join(home, 'credentials'), '[base]\naws_access_key_id = test\naws_secret_access_key = test\n');
  writeFileSync(
    join(home, 'config'),
    `[profile base]\nregion = us-east-1\n\n` +
      `[profile staging]\nrole_arn = ${STAGING_ROLE}\nsource_profile = base\nrole_session_name = cli-profile\nregion = us-east-1\n\n` +
      `[profile qa]\nrole_arn = ${QA_ROLE}\nsource_profile = base\nexternal_id = ${QA_EXTERNAL_ID}\nregion = us-west-2\n\n` +
      `[profile qa-wrong]\nrole_arn = ${QA_ROLE}\nsource_profile = base\nexternal_id = not-the-id\nregion = us-west-2\n`,
  );
});
afterAll(async () => {
  await emu.close();
  rmSync(home, { recursive: true, force: true });
});

/** Only what the CLI needs: no credentials, region or profile from the test process's environment. */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

const KEYS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' };

for (const cli of CLIS) {
  describe.skipIf(!cli.path)(`${cli.name} against the emulator's STS`, { timeout: 90_000 }, () => {
    const aws = (env: Record<string, string>, ...args: string[]) =>
      run(cli.path!, [...args, '--output', 'json', '--endpoint-url', emu.endpoint], baseEnv(env));

    it('sts get-caller-identity for a long-term key', async () => {
      const r = await aws(KEYS, 'sts', 'get-caller-identity');
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/emulator' });
    });

    it('sts assume-role, then ivschat with the temporary credentials lands in that account', async () => {
      const r = await aws(
        KEYS,
        'sts',
        'assume-role',
        '--role-arn',
        QA_ROLE,
        '--role-session-name',
        'cli-session',
        '--external-id',
        QA_EXTERNAL_ID,
        '--duration-seconds',
        '900',
      );
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };
        AssumedRoleUser: { Arn: string };
      };
      expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${QA}:assumed-role/ivschat-console/cli-session`);
      expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
      const minutes = (Date.parse(out.Credentials.Expiration) - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(14);
      expect(minutes).toBeLessThanOrEqual(15);

      const temp = {
        AWS_ACCESS_KEY_ID: out.Credentials.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: out.Credentials.SecretAccessKey,
        AWS_SESSION_TOKEN: out.Credentials.SessionToken,
        AWS_DEFAULT_REGION: 'us-west-2',
      };
      const { AWS_SESSION_TOKEN: _t, ...noToken } = temp;
      // Independent runs in parallel: each CLI start costs a second or more here.
      const [rooms, who, refused] = await Promise.all([
        aws(temp, 'ivschat', 'list-rooms'),
        aws(temp, 'sts', 'get-caller-identity'),
        aws(noToken, 'ivschat', 'list-rooms'),
      ]);
      expect(rooms.code, rooms.stderr).toBe(0);
      expect((JSON.parse(rooms.stdout) as { rooms: { arn: string }[] }).rooms.map((x) => x.arn)).toEqual([
        `arn:aws:ivschat:us-west-2:${QA}:room/QaAcctWest01`,
      ]);
      expect(JSON.parse(who.stdout)).toMatchObject({ Account: QA, Arn: out.AssumedRoleUser.Arn });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('UnrecognizedClientException');
    });

    it('sts assume-role with a wrong ExternalId is AccessDenied', async () => {
      const r = await aws(KEYS, 'sts', 'assume-role', '--role-arn', QA_ROLE, '--role-session-name', 'cli-wrong', '--external-id', 'wrong');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('(AccessDenied)');
      expect(r.stderr).toContain(`is not authorized to perform: sts:AssumeRole on resource: ${QA_ROLE}`);
    });

    // One CLI is enough for this: both print botocore's parse of the error.
    it.skipIf(cli.name !== 'AWS CLI v2')('prints ThrottlingException for a throttled ivschat call', async () => {
      // A long window: two CLI runs on a loaded machine can be more than a second apart.
      await control(emu, 'quota', { operation: 'ListRooms', region: 'ca-central-1', rate: 1, enabled: true, windowMs: 60_000 });
      const env = { ...KEYS, AWS_DEFAULT_REGION: 'ca-central-1', AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' };
      const results = [await aws(env, 'ivschat', 'list-rooms'), await aws(env, 'ivschat', 'list-rooms')];
      await control(emu, 'quota', undefined, 'DELETE');
      await control(emu, 'quota', { enabled: false });
      expect(results[0].code, results[0].stderr).toBe(0);
      expect(results[1].code).not.toBe(0);
      expect(results[1].stderr).toContain('(ThrottlingException)');
    });
  });
}

// CLI v1's botocore (>= 1.31) reads AWS_ENDPOINT_URL_STS, so the CLI's own assume-role provider
// (role_arn + source_profile) can be pointed at the emulator; CLI v2 2.9 has no such setting.
describe.skipIf(!CLIS[1].path)('AWS CLI v1 assumes the role of a profile itself (role_arn + source_profile)', { timeout: 90_000 }, () => {
  const aws = (profile: string, ...args: string[]) =>
    run(
      CLIS[1].path!,
      ['--profile', profile, ...args, '--output', 'json'],
      baseEnv({ AWS_ENDPOINT_URL_STS: emu.endpoint, AWS_ENDPOINT_URL_IVSCHAT: emu.endpoint }),
    );

  it('lists the staging account rooms and answers the assumed-role identity', async () => {
    const [rooms, who] = await Promise.all([aws('staging', 'ivschat', 'list-rooms'), aws('staging', 'sts', 'get-caller-identity')]);
    expect(rooms.code, rooms.stderr).toBe(0);
    expect((JSON.parse(rooms.stdout) as { rooms: { arn: string }[] }).rooms.map((x) => x.arn)).toEqual([
      `arn:aws:ivschat:us-east-1:${STAGING}:room/StagingMain1`,
    ]);
    expect(JSON.parse(who.stdout)).toMatchObject({
      Account: STAGING,
      Arn: `arn:aws:sts::${STAGING}:assumed-role/ivschat-console/cli-profile`,
    });
  });

  it('uses the profile external_id, and a wrong one is AccessDenied', async () => {
    const [rooms, wrong] = await Promise.all([aws('qa', 'ivschat', 'list-rooms'), aws('qa-wrong', 'ivschat', 'list-rooms')]);
    expect(rooms.code, rooms.stderr).toBe(0);
    expect((JSON.parse(rooms.stdout) as { rooms: { arn: string }[] }).rooms.map((x) => x.arn)).toEqual([
      `arn:aws:ivschat:us-west-2:${QA}:room/QaAcctWest01`,
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('AccessDenied');
  });
});

const BOTO = String.raw`
import json, sys, time
import boto3
from botocore.exceptions import ClientError
endpoint = sys.argv[1]
out = {}
sts = boto3.client('sts', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
out['identity'] = sts.get_caller_identity()['Arn']
r = sts.assume_role(RoleArn=sys.argv[2], RoleSessionName='boto', DurationSeconds=900, SourceIdentity='boto-user')
c = r['Credentials']
out['assumed'] = r['AssumedRoleUser']['Arn']
out['sourceIdentity'] = r.get('SourceIdentity')
out['expiresInS'] = round(c['Expiration'].timestamp() - time.time())
ivs = boto3.client('ivschat', endpoint_url=endpoint, region_name='eu-west-1', aws_access_key_id=c['AccessKeyId'],
                   aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
out['rooms'] = [x['arn'] for x in ivs.list_rooms()['rooms']]
tmp = boto3.client('sts', endpoint_url=endpoint, region_name='us-east-1', aws_access_key_id=c['AccessKeyId'],
                   aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
out['tempIdentity'] = tmp.get_caller_identity()['Account']
for name, kwargs in [('wrongExternalId', dict(RoleArn=sys.argv[3], RoleSessionName='boto', ExternalId='wrong')),
                     ('badSessionName', dict(RoleArn=sys.argv[2], RoleSessionName='a b'))]:
    try:
        sts.assume_role(**kwargs)
        out[name] = 'accepted'
    except ClientError as e:
        out[name] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Message']]
bad = boto3.client('ivschat', endpoint_url=endpoint, region_name='eu-west-1', aws_access_key_id=c['AccessKeyId'],
                   aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'][:-3] + 'xyz')
try:
    bad.list_rooms()
    out['wrongToken'] = 'accepted'
except ClientError as e:
    out['wrongToken'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;

describe.skipIf(!hasBoto3)("Debian's python3-boto3", () => {
  it('assumes a role, lists that account’s rooms, and parses STS and IVS Chat errors', async () => {
    const r = await run('/usr/bin/python3', ['-c', BOTO, emu.endpoint, STAGING_ROLE, QA_ROLE], baseEnv());
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toEqual({
      identity: 'arn:aws:iam::123456789012:user/emulator',
      assumed: `arn:aws:sts::${STAGING}:assumed-role/ivschat-console/boto`,
      sourceIdentity: 'boto-user',
      expiresInS: expect.any(Number),
      rooms: [`arn:aws:ivschat:eu-west-1:${STAGING}:room/StgEuWest001`],
      tempIdentity: STAGING,
      wrongExternalId: [
        'AccessDenied',
        403,
        `User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: ${QA_ROLE}`,
      ],
      badSessionName: [
        'ValidationError',
        400,
        "1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      wrongToken: ['UnrecognizedClientException', 403],
    });
    expect(out.expiresInS).toBeGreaterThan(880);
    expect(out.expiresInS).toBeLessThanOrEqual(900);
  });
});
