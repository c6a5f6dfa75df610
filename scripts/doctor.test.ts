/**
 * `npm run doctor` as an operator runs it: the real command in a child process, against the real
 * emulator, once per setup (they run side by side). Each answer names what is missing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/emulator/index';

let emulator: RunningEmulator;
const dirs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function doctor(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'doctor-'));
  dirs.push(dataDir);
  // Only what the case sets: no AWS_* from the developer's shell, no instance metadata lookups.
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dataDir,
    CONSOLE_DATA_DIR: dataDir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dataDir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'none'),
    IVSCHAT_MAX_ATTEMPTS: '1',
    IVSCHAT_TIMEOUT_MS: '1000',
    LOG_LEVEL: 'silent',
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/doctor.ts'], {
      env: { ...base, ...env } as unknown as NodeJS.ProcessEnv,
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run doctor', () => {
  it('says what is missing in each broken setup, and ready for a working one', async () => {
    // The IPv6-mapped form of loopback is not taken for the local emulator, so it gets no test pair.
    const notLocal = emulator.endpoint.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    const [working, noCredentials, wrongKey, unreachable] = await Promise.all([
      doctor({ IVSCHAT_ENDPOINT: emulator.endpoint }),
      doctor({ IVSCHAT_ENDPOINT: notLocal }),
      doctor({ IVSCHAT_ENDPOINT: emulator.endpoint, IVSCHAT_ACCESS_KEY_ID: 'AKIAWRONGKEY', IVSCHAT_SECRET_ACCESS_KEY: 'nope' }),
      doctor({ IVSCHAT_ENDPOINT: 'http://127.0.0.1:9' }),
    ]);
    expect(working.out).toContain('Console check: ready');
    expect(working.out).toMatch(/ok +default \/ us-east-1: ListRooms: Answers/);
    expect(working.out).toMatch(/CreateChatToken: Not tried/);
    expect(working.code).toBe(0);

    expect(noCredentials.code).toBe(1);
    expect(noCredentials.out).toMatch(/FAIL +default \/ us-east-1: credentials: No AWS credentials could be found/);
    expect(noCredentials.out).toContain('Set IVSCHAT_ACCESS_KEY_ID and IVSCHAT_SECRET_ACCESS_KEY');

    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toMatch(/ListRooms: AWS did not accept the credentials \(UnrecognizedClientException\)/);

    expect(unreachable.code).toBe(1);
    expect(unreachable.out).toMatch(/IVS Chat in us-east-1 cannot be reached at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
  });

  it('names the IAM action and statement to add when ListRooms is denied', async () => {
    await fetch(`${emulator.endpoint}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'ListRooms', error: 'AccessDeniedException', count: 1 }),
    });
    const denied = await doctor({ IVSCHAT_ENDPOINT: emulator.endpoint });
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/FAIL +default \/ us-east-1: ListRooms: The credentials may not call ivschat:ListRooms in us-east-1/);
    expect(denied.out).toContain('"Action":["ivschat:ListRooms"]');
  });
});
