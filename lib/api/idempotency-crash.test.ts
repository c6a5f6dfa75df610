/**
 * An Idempotency-Key whose request was interrupted (a real child process, SIGKILL, while
 * CreateChatToken hangs): the retry is refused for 24 hours, and the 409 names the audit entry the
 * interrupted request wrote, so the caller can see it is pending (outcome unknown).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

let harness: ConsoleHarness;
let child: ChildProcess | undefined;
const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  harness = await startConsoleHarness({ name: 'idempotency-crash', env: { IVSCHAT_TIMEOUT_MS: '20000', IVSCHAT_MAX_ATTEMPTS: '1' } });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await harness?.clearFaults();
  await harness?.close();
});

it('a retry of an interrupted request answers 409 naming its pending audit entry', async () => {
  const { createApiKey } = await import('@/lib/api-keys/store');
  const { key } = await createApiKey({ name: 'crash-pipeline', role: 'qa' });
  await harness.armFault({ delayMs: 15_000, count: 5 });
  child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/idempotency-crash-child.ts'], {
    cwd: root,
    env: { ...process.env, CRASH_API_KEY: key },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const { getDatabase } = await import('@/lib/db');
  const handle = await getDatabase();
  const deadline = Date.now() + 60_000;
  let pending: { id: string } | undefined;
  while (!pending) {
    if (Date.now() > deadline) throw new Error(`no pending audit entry; child output: ${out}`);
    await sleep(50);
    pending = await handle.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'token.minted')
      .where('api_key_name', '=', 'crash-pipeline')
      .executeTakeFirst();
  }
  // The request is in CreateChatToken (the emulator holds it); the process dies.
  while ((await harness.createChatTokenStats()).received < 1) {
    if (Date.now() > deadline) throw new Error(`CreateChatToken never arrived; child output: ${out}`);
    await sleep(50);
  }
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  expect(out).not.toContain('answered');
  await harness.clearFaults();

  const { POST } = await import('@/app/api/v1/tokens/route');
  const retry = await POST(
    new Request('http://127.0.0.1/api/v1/tokens', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'job-7-step-2', 'content-type': 'application/json' },
      body: JSON.stringify({ roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001', userId: 'crash-user' }),
    }),
  );
  expect(retry.status).toBe(409);
  const body = (await retry.json()) as { code: string; message: string; auditIds: string[]; records: string[] };
  expect(body).toMatchObject({
    code: 'IDEMPOTENCY_KEY_REUSED',
    auditIds: [pending.id],
    records: [`/api/v1/tokens/${pending.id}`],
    message: expect.stringMatching(/interrupted.*pending.*outcome is unknown.*24 hours/),
  });
  const { getAuditRecord } = await import('@/lib/audit/store');
  expect(await getAuditRecord(pending.id)).toMatchObject({ status: 'pending', userId: 'crash-user' });
}, 120_000);
