import { execFile, execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ListRoomsCommand } from '@aws-sdk/client-ivschat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index';
import { client, start } from './helpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function hasAwsCli(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v aws'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `aws ivschat ...` with throwaway credentials set inside the shell command, so nothing here
 * reads or forwards the test process's environment, and the user's own AWS config is ignored.
 */
function aws(emu: RunningEmulator, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script =
    'E="$1"; shift; AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null ' +
    'AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= exec aws ivschat "$@" --output json --endpoint-url "$E"';
  return new Promise((resolve) => {
    execFile('sh', ['-c', script, 'sh', emu.endpoint, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? 1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!hasAwsCli())('AWS CLI against the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ seed: false });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('create-room / list-rooms / create-chat-token / delete-room round trip', async () => {
    const created = await aws(emu, 'create-room', '--name', 'cli-room', '--maximum-message-length', '42', '--tags', 'env=cli');
    expect(created.code, created.stderr).toBe(0);
    const room = JSON.parse(created.stdout) as { arn: string; id: string; maximumMessageLength: number; tags: Record<string, string> };
    expect(room).toMatchObject({ maximumMessageLength: 42, tags: { env: 'cli' } });

    const listed = await aws(emu, 'list-rooms');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { rooms: { arn: string }[] }).rooms.map((r) => r.arn)).toEqual([room.arn]);

    const token = await aws(
      emu,
      'create-chat-token',
      '--room-identifier',
      room.arn,
      '--user-id',
      'cli-user',
      '--capabilities',
      'SEND_MESSAGE',
    );
    expect(token.code, token.stderr).toBe(0);
    expect(JSON.parse(token.stdout)).toMatchObject({ token: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });

    const tags = await aws(emu, 'list-tags-for-resource', '--resource-arn', room.arn);
    expect(JSON.parse(tags.stdout)).toEqual({ tags: { env: 'cli' } });

    const deleted = await aws(emu, 'delete-room', '--identifier', room.arn);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout.trim()).toBe('');
  });

  it('prints ResourceNotFoundException for get-room on a missing ARN', async () => {
    const r = await aws(emu, 'get-room', '--identifier', 'arn:aws:ivschat:us-east-1:123456789012:room/AAAAAAAAAAAA');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ResourceNotFoundException');
    expect(r.stderr).toContain('GetRoom');
  });
});

describe('cli.ts as a child process', () => {
  it('prints endpoint, credentials and seeded rooms, serves, and stops cleanly on SIGTERM', async () => {
    const account = {
      id: '999988887777',
      label: 'cli-acct',
      accessKeys: [{ accessKeyId: 'AKIACLIACCOUNT', secretAccessKey: 'cli-secret' }],
      rooms: [{ id: 'CliAcctRoom1', region: 'eu-west-1', name: 'cli-account-room' }],
    };
    const args = [
      '--port',
      '0',
      '--quiet',
      '--account',
      JSON.stringify(account),
      '--quota',
      '{"operation":"ListRooms","rate":1}',
      '--quota-window',
      '60000',
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const start = Date.now();
      while (!/control:/.test(out)) {
        if (Date.now() - start > 20_000) throw new Error(`cli did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const endpoint = /endpoint:\s+(http:\/\/\S+)/.exec(out)?.[1];
      expect(endpoint).toBeDefined();
      expect(out).toMatch(/chat URL:\s+ws:\/\//);
      expect(out).toContain('access key "test"');
      for (const name of ['main-stage', 'qa-sandbox', 'eu-community', 'support-repro']) expect(out).toContain(name);
      expect(out).toContain('arn:aws:ivschat:eu-west-1:123456789012:room/EuCommunity1');
      const port = Number(new URL(endpoint!).port);
      const sdk = client({ endpoint: endpoint!, chatUrl: '', port, seededRooms: [], accounts: [], close: async () => {} }, 'eu-west-1');
      const rooms = await sdk.send(new ListRoomsCommand({}));
      expect(rooms.rooms?.map((r) => r.name).sort()).toEqual(['eu-community', 'eu-staging']);
      // --quota and --quota-window: ListRooms once a minute per account and region.
      const throttled = await sdk.send(new ListRoomsCommand({})).catch((e: { name: string }) => e.name);
      expect(throttled).toBe('ThrottlingException');
      sdk.destroy();
      // --account: its key acts in its account, whose rooms the banner lists.
      expect(out).toMatch(/999988887777 cli-acct\s+keys: AKIACLIACCOUNT/);
      expect(out).toContain('arn:aws:ivschat:eu-west-1:999988887777:room/CliAcctRoom1');
      expect(out).toContain('role arn:aws:iam::345678901234:role/ivschat-console (ExternalId ivschat-console-qa)');
      const other = client({ endpoint: endpoint!, chatUrl: '', port, seededRooms: [], accounts: [], close: async () => {} }, 'eu-west-1', {
        accessKeyId: 'AKIACLIACCOUNT',
        secretAccessKey: 'cli-secret',
      });
      expect((await other.send(new ListRoomsCommand({}))).rooms?.map((r) => r.arn)).toEqual([
        'arn:aws:ivschat:eu-west-1:999988887777:room/CliAcctRoom1',
      ]);
      other.destroy();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
