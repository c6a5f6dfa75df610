/**
 * Bulk runs end to end in one process: the runner, the one mint path, a real SQLite file and the
 * emulator over HTTP with its CreateChatToken quota (200/s) on. Its own file: lib/env.ts reads
 * the environment once, at import.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';
import { emulatorControl } from '@/test/emulator-control';

const QA_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
let harness: ConsoleHarness;
let runner: typeof import('./runner');
let store: typeof import('./store');
let database: typeof import('@/lib/db');

// Real members: every row re-reads its owner from the staff table.
const qa = { id: '', email: 'qa@example.com', role: 'qa' as const };
const qaLimit = { id: '', email: 'qa-limit@example.com', role: 'qa' as const };
const fault = (body: object) => harness.armFault(body);
const stats = () => harness.createChatTokenStats();

beforeAll(async () => {
  harness = await startConsoleHarness({
    name: 'bulk-runner',
    env: { IVSCHAT_TIMEOUT_MS: '3000' },
    policy: (policy) => {
      policy.rateLimits.bulkRowsPerStaff = { max: 5_000, windowSeconds: 3600 };
    },
  }); // the emulator's quota is on by default
  expect(await emulatorControl(harness.emulator.endpoint).quota()).toBe(true);
  runner = await import('./runner');
  store = await import('./store');
  database = await import('@/lib/db');
  const staffStore = await import('@/lib/auth/staff-store');
  qa.id = (await staffStore.createStaff({ email: qa.email, role: 'qa' })).id;
  qaLimit.id = (await staffStore.createStaff({ email: qaLimit.email, role: 'qa' })).id;
});

afterAll(async () => harness?.close());

beforeEach(async () => {
  await harness.clearFaults();
});

async function auditRowsOf(batchId: string) {
  const handle = await database.getDatabase();
  // Each mint request with its status from its completion entry (lib/audit/chain.ts).
  return handle.db
    .selectFrom('audit_log as e')
    .leftJoin('audit_log as c', 'c.ref_seq', 'e.seq')
    .select(['e.user_id', 'e.via', 'e.batch_id', 'c.action as completion'])
    .where('e.batch_id', '=', batchId)
    .where('e.action', '=', 'token.minted')
    .execute()
    .then((rows) =>
      rows.map((r) => ({
        ...r,
        status: r.completion === 'mint.issued' ? 'issued' : r.completion === 'mint.failed' ? 'failed' : 'pending',
      })),
    );
}

async function run(input: object, staff = qa) {
  const started = await runner.startBulkJob(staff, input);
  expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
  if (!started.ok) throw new Error('not started');
  await runner.waitForBulkJob(started.id);
  return started.id;
}

const template = (prefix: string, count: number) => ({
  roomArn: QA_ROOM,
  capabilities: ['SEND_MESSAGE'],
  sessionDurationInMinutes: 30,
  reason: 'bulk test',
  source: { kind: 'template', template: `${prefix}-{n}`, start: 1, count },
});

describe('bulk runner', () => {
  it('mints 300 rows with the quota on: all issued, distinct tokens, one audit row each with the batch id', async () => {
    const id = await run(template('b300', 300));
    const job = await runner.getBulkJobForStaff(qa.id, id);
    expect(job).toMatchObject({ status: 'completed', total: 300, issued: 300, failed: 0, remaining: 0, tokens: 'held' });

    const audit = await auditRowsOf(id);
    expect(audit).toHaveLength(300);
    expect(audit.every((r) => r.status === 'issued' && r.via === 'bulk')).toBe(true);
    expect(new Set(audit.map((r) => r.user_id)).size).toBe(300);

    const taken = await runner.takeBulkTokens(qa.id, id);
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    expect(taken.rows).toHaveLength(300);
    expect(taken.rows[0]).toMatchObject({ row: 1, userId: 'b300-1', status: 'issued' });
    const tokens = taken.rows.map((r) => r.token);
    expect(tokens.every((t) => typeof t === 'string' && t.length > 20)).toBe(true);
    expect(new Set(tokens).size).toBe(300);

    // The tokens are nowhere in the database.
    const handle = await database.getDatabase();
    const dump = JSON.stringify([
      await handle.db.selectFrom('bulk_jobs').selectAll().execute(),
      await handle.db.selectFrom('bulk_job_rows').selectAll().where('job_id', '=', id).execute(),
      await handle.db.selectFrom('audit_log').selectAll().where('batch_id', '=', id).execute(),
    ]);
    expect(tokens.some((t) => dump.includes(t!))).toBe(false);

    // One download only.
    expect(await runner.takeBulkTokens(qa.id, id)).toMatchObject({ ok: false, code: 'GONE', tokens: 'downloaded' });
    expect(await runner.getBulkJobForStaff(qa.id, id)).toMatchObject({ tokens: 'downloaded' });
  });

  it('retries throttled calls under the same audit row: every row issued, one audit row per row', async () => {
    await fault({ error: 'ThrottlingException', count: 5 });
    const before = await stats();
    const id = await run(template('thr', 20));
    const after = await stats();
    expect(after.received - before.received).toBe(25);
    expect(await runner.getBulkJobForStaff(qa.id, id)).toMatchObject({ status: 'completed', issued: 20, failed: 0 });
    const audit = await auditRowsOf(id);
    expect(audit).toHaveLength(20);
    expect(audit.every((r) => r.status === 'issued')).toBe(true);
    const rows = await store.allBulkRows(id);
    expect(rows.reduce((sum, r) => sum + r.attempts, 0)).toBe(25);
  });

  it('reports a failing row with its reason and keeps going', async () => {
    await fault({ error: 'AccessDeniedException', count: 1 });
    const id = await run(template('deny', 5));
    expect(await runner.getBulkJobForStaff(qa.id, id)).toMatchObject({ status: 'completed', issued: 4, failed: 1 });
    const failed = await store.listBulkRows(id, 'failed', 1);
    expect(failed.total).toBe(1);
    expect(failed.rows[0]).toMatchObject({ status: 'failed', errorCode: 'AWS_ERROR', awsCode: 'AccessDeniedException' });
    expect(failed.rows[0].auditId).toBeTruthy();
  });

  it('retries exactly the failed rows as a new job, attributes included, through the same checks and audit', async () => {
    const csv = 'userId,displayName\n' + Array.from({ length: 6 }, (_, i) => `retry-${i + 1},Name ${i + 1}`).join('\n');
    await fault({ error: 'AccessDeniedException', count: 2 });
    const id = await run({ roomArn: QA_ROOM, capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 5, source: { kind: 'csv', csv } });
    expect(await runner.getBulkJobForStaff(qa.id, id)).toMatchObject({ status: 'completed', issued: 4, failed: 2 });
    const failedIds = (await store.failedBulkRows(id)).map((r) => r.userId);
    expect(failedIds).toHaveLength(2);

    // Someone else cannot retry it; a running job or one without failures cannot be retried.
    expect(await runner.retryBulkJob(qaLimit, id)).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const retried = await runner.retryBulkJob(qa, id);
    expect(retried, JSON.stringify(retried)).toMatchObject({ ok: true, total: 2 });
    if (!retried.ok) throw new Error('not retried');
    await runner.waitForBulkJob(retried.id);
    expect(await runner.getBulkJobForStaff(qa.id, retried.id)).toMatchObject({ status: 'completed', issued: 2, failed: 0, retryOf: id });
    expect((await store.allBulkRows(retried.id)).map((r) => r.userId)).toEqual(failedIds);
    // Each retried row is its own audit entry under the new batch id, with the row's own attribute.
    const handle = await database.getDatabase();
    const entries = await handle.db
      .selectFrom('audit_log')
      .select(['user_id', 'attributes'])
      .where('batch_id', '=', retried.id)
      .where('action', '=', 'token.minted')
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => e.user_id).sort()).toEqual([...failedIds].sort());
    for (const e of entries) expect(JSON.parse(e.attributes ?? '{}')).toEqual({ displayName: `Name ${e.user_id!.slice(6)}` });
    expect(await runner.retryBulkJob(qa, retried.id)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('retries with the owner as they are now: a member demoted to viewer cannot retry', async () => {
    const staffStore = await import('@/lib/auth/staff-store');
    const member = await staffStore.createStaff({ email: 'qa-demoted@example.com', role: 'qa' });
    const owner = { id: member.id, email: member.email, role: 'qa' as const };
    await fault({ error: 'AccessDeniedException', count: 1 });
    const id = await run(template('demote', 3), owner);
    expect(await runner.getBulkJobForStaff(owner.id, id)).toMatchObject({ failed: 1 });
    expect(await runner.retryBulkJob({ ...owner, role: 'viewer' }, id)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  it('mints CSV rows with their attributes', async () => {
    const csv = 'userId,displayName,color\r\n"ann, the first",Ann,red\r\nbob,"Bob ""B""",\r\n';
    const id = await run({ roomArn: QA_ROOM, capabilities: [], sessionDurationInMinutes: 5, source: { kind: 'csv', csv } });
    const handle = await database.getDatabase();
    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['user_id', 'attributes'])
      .where('batch_id', '=', id)
      .where('action', '=', 'token.minted')
      .orderBy('seq')
      .execute();
    expect(audit.map((r) => [r.user_id, JSON.parse(r.attributes!)]).sort()).toEqual([
      ['ann, the first', { color: 'red', displayName: 'Ann' }],
      ['bob', { displayName: 'Bob "B"' }],
    ]);
  });

  it('refuses invalid rows before starting, naming the line and column, and mints nothing', async () => {
    const before = await stats();
    const csv = `userId,displayName\nok-1,a\n,b\nok-2,${'x'.repeat(1100)}\n`;
    const result = await runner.startBulkJob(qa, { roomArn: QA_ROOM, source: { kind: 'csv', csv } });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT', invalidRows: 2 });
    if (result.ok) return;
    expect(result.rowErrors).toEqual([
      expect.objectContaining({ row: 2, line: 3, field: 'userId' }),
      expect.objectContaining({ row: 3, line: 4, field: 'attributes' }),
    ]);
    expect((await stats()).received).toBe(before.received);
  });

  it('applies the policy once up front: a qa member cannot bulk mint outside env=qa rooms or as a viewer', async () => {
    const other = await runner.startBulkJob(qa, {
      ...template('x', 2),
      roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl',
    });
    expect(other).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const viewer = await runner.startBulkJob({ ...qa, id: 'viewer-1', role: 'viewer' }, template('x', 2));
    expect(viewer).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.viewer.mayMint' });
  });

  it('counts a batch once against rateLimits.bulkRowsPerStaff, not per row against mintPerStaff', async () => {
    const staff = qaLimit;
    // 200 rows is far over mintPerStaff (60 a minute) and runs anyway.
    await run(template('lim', 200), staff);
    const tooMany = await runner.startBulkJob(staff, template('lim2', 4_900));
    expect(tooMany).toMatchObject({ ok: false, code: 'RATE_LIMITED', rule: 'rateLimits.bulkRowsPerStaff' });
  });

  it('shows a job whose process stopped as interrupted, its unattempted rows skipped, and its tokens gone', async () => {
    const handle = await database.getDatabase();
    const stale = new Date(Date.now() - 60_000).toISOString();
    await store.insertBulkJob(
      {
        id: 'job-from-a-dead-process',
        staff_id: qa.id,
        staff_email: qa.email,
        staff_role: 'qa',
        room_arn: QA_ROOM,
        capabilities: '[]',
        duration_minutes: 5,
        reason: '',
        source_kind: 'template',
        total: 3,
        instance_id: 'another-process',
        created_at: stale,
        updated_at: stale,
      },
      ['a', 'b', 'c'],
    );
    await handle.db.updateTable('bulk_jobs').set({ updated_at: stale }).where('id', '=', 'job-from-a-dead-process').execute();
    const job = await runner.getBulkJobForStaff(qa.id, 'job-from-a-dead-process');
    expect(job).toMatchObject({ status: 'interrupted', tokens: 'unavailable' });
    expect(job?.note).toMatch(/Interrupted/);
    expect((await store.listBulkRows('job-from-a-dead-process', 'failed', 1)).total).toBe(3);
    expect(await runner.takeBulkTokens(qa.id, 'job-from-a-dead-process')).toMatchObject({ ok: false, code: 'GONE' });
  });

  it('shows a job only to its owner', async () => {
    const id = await run(template('own', 2));
    expect(await runner.getBulkJobForStaff('someone-else', id)).toBeNull();
    expect(await runner.takeBulkTokens('someone-else', id)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
