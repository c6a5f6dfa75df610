/**
 * A console process killed in the middle of a bulk run (a real child process, SIGKILL), then
 * noticed by another process as a replica would: rows whose CreateChatToken had been sent must
 * not read "not attempted". Its own file: lib/env.ts reads the environment once, at import.
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
  harness = await startConsoleHarness({
    name: 'bulk-crash',
    env: { IVSCHAT_TIMEOUT_MS: '20000', IVSCHAT_MAX_ATTEMPTS: '1' },
    policy: (policy) => {
      policy.rateLimits.bulkRowsPerStaff = { max: 5_000, windowSeconds: 3600 };
    },
  });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await harness?.clearFaults();
  await harness?.close();
});

it('rows whose mint was sent read "outcome unknown" (linked to their pending audit entries), never "not attempted"', async () => {
  const db = await import('@/lib/db');
  const handle = await db.getDatabase();
  child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/bulk-crash-child.ts'], {
    cwd: root,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const deadline = Date.now() + 60_000;
  const until = async (what: string, ok: () => Promise<boolean> | boolean) => {
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; child output: ${out}`);
      await sleep(50);
    }
  };
  await until('the job to start', () => /"ok":true/.test(out));
  const jobId = (JSON.parse(out.split('\n').find((l) => l.includes('"ok":true'))!) as { id: string }).id;
  const requests = () =>
    handle.db
      .selectFrom('audit_log as e')
      .leftJoin('audit_log as c', 'c.ref_seq', 'e.seq')
      .select(['e.id', 'c.action as completion'])
      .where('e.batch_id', '=', jobId)
      .where('e.action', '=', 'token.minted')
      .execute();
  // A few rows go through; then CreateChatToken hangs, so the next requests are sent but unanswered.
  await until('issued rows', async () => (await requests()).filter((r) => r.completion === 'mint.issued').length >= 3);
  await harness.armFault({ delayMs: 15_000, count: 100 });
  await until('requests in flight', async () => (await requests()).filter((r) => r.completion === null).length >= 2);
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  await harness.clearFaults();

  // Another process notices the stale heartbeat (lib/bulk/runner.ts: 10 s).
  await sleep(11_000);
  const runner = await import('./runner');
  const store = await import('./store');
  // The child made its owner a real member (rows re-read their owner).
  const owner = await handle.db.selectFrom('staff').select('id').where('email', '=', 'qa-crash@example.com').executeTakeFirstOrThrow();
  expect(await runner.getBulkJobForStaff(owner.id, jobId)).toMatchObject({ status: 'interrupted' });
  const entries = await requests();
  const rows = await store.allBulkRows(jobId);
  const pending = new Set(entries.filter((e) => e.completion === null).map((e) => e.id));
  const issued = new Set(entries.filter((e) => e.completion === 'mint.issued').map((e) => e.id));
  expect(pending.size).toBeGreaterThanOrEqual(2);

  // Every request that reached the audit log is linked from exactly one row...
  expect(new Set(rows.map((r) => r.auditId).filter(Boolean))).toEqual(new Set(entries.map((e) => e.id)));
  // ...a pending one as outcome unknown, an issued one as issued...
  const unknown = rows.filter((r) => r.status === 'unknown');
  expect(unknown.map((r) => r.auditId).sort()).toEqual([...pending].sort());
  for (const r of unknown) expect(r).toMatchObject({ errorCode: 'OutcomeUnknown', errorMessage: expect.stringMatching(/outcome unknown/) });
  for (const r of rows.filter((x) => x.auditId && issued.has(x.auditId))) expect(r.status).toBe('issued');
  // ...and "not attempted" only where nothing was sent.
  const skipped = rows.filter((r) => r.status === 'skipped');
  for (const r of skipped) expect(r).toMatchObject({ errorCode: 'NotAttempted', auditId: null });
  expect(skipped.length + entries.length).toBe(40);
}, 120_000);
