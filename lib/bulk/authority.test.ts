/**
 * A bulk job acts with its owner's rights as they are at each row, not as they were when it
 * started (issue 12): real jobs under the emulator's paced quota, the owner demoted or disabled
 * mid-run through the staff store, and what was minted afterwards read back from the emulator's
 * counters, the audit log and the job's rows. Its own file: lib/env.ts reads the environment once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/test/console-harness';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const ROWS = 1200;
let harness: ConsoleHarness;
let runner: typeof import('./runner');
let store: typeof import('./store');
let staffStore: typeof import('@/lib/auth/staff-store');
let database: typeof import('@/lib/db');

beforeAll(async () => {
  harness = await startConsoleHarness({ name: 'bulk-authority' }); // quota on: 190 calls a second
  runner = await import('./runner');
  store = await import('./store');
  staffStore = await import('@/lib/auth/staff-store');
  database = await import('@/lib/db');
});

afterAll(async () => harness?.close());

const moderatorJob = (prefix: string) => ({
  roomArn: ROOM,
  capabilities: ['DELETE_MESSAGE', 'DISCONNECT_USER'],
  sessionDurationInMinutes: 180,
  reason: 'load test of the moderation bot',
  source: { kind: 'template', template: `${prefix}-{n}`, start: 1, count: ROWS },
});

async function newModerator(email: string) {
  const staff = await staffStore.createStaff({ email, role: 'moderator' });
  return { id: staff.id, email: staff.email, role: 'moderator' as const };
}

/** Starts the job and calls `midRun` once `issued` rows are done, while it is still running. */
async function runAndChange(owner: { id: string; email: string; role: 'moderator' }, prefix: string, midRun: () => Promise<void>) {
  const before = await harness.stats();
  const started = await runner.startBulkJob(owner, moderatorJob(prefix));
  if (!started.ok) throw new Error(JSON.stringify(started));
  let changedAt = 0;
  let issuedAtChange = 0;
  for (;;) {
    const record = await store.getBulkJobRecord(started.id);
    if (record && record.issued >= 150) {
      issuedAtChange = record.issued;
      expect(record.status).toBe('running');
      await midRun();
      changedAt = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await runner.waitForBulkJob(started.id);
  const after = await harness.stats();
  const handle = await database.getDatabase();
  // The batch's mint requests (the projection holds each one's outcome; refusals are entries of their own).
  const audit = await handle.db
    .selectFrom('audit_mints as m')
    .innerJoin('audit_log as l', 'l.seq', 'm.seq')
    .select(['m.user_id', 'm.status', 'l.actor_role', 'm.at'])
    .where('m.batch_id', '=', started.id)
    .execute();
  const rows = await store.allBulkRows(started.id);
  return {
    id: started.id,
    changedAt,
    issuedAtChange,
    rows,
    audit,
    job: (await runner.getBulkJobForStaff(owner.id, started.id))!,
    received: after.operations.CreateChatToken.received - before.operations.CreateChatToken.received,
    tokensIssued: after.tokensIssued - before.tokensIssued,
  };
}

describe('a bulk job acts with its owner as they are now', () => {
  it('a moderator demoted to viewer mid-run: the remaining rows are refused with the rule, and the viewer cannot download', async () => {
    const owner = await newModerator('demoted@example.com');
    const run = await runAndChange(owner, 'dem', () => staffStore.setStaffRole(owner.id, 'viewer').then(() => {}));

    const refused = run.rows.filter((r) => r.status === 'failed' && r.errorMessage?.includes('rule roles.viewer.mayMint'));
    const issued = run.rows.filter((r) => r.status === 'issued');
    console.log(
      `[bulk authority] demoted after ${run.issuedAtChange} issued rows: ${issued.length} issued in all, ${refused.length} refused by roles.viewer.mayMint`,
    );
    expect(run.job.status).toBe('completed');
    expect(refused.length).toBeGreaterThan(0);
    expect(issued.length).toBeLessThan(ROWS);
    // A refusal calls nothing; its audit entry, when one is written (refusals are recorded, bounded per minute), is a token.refused.
    expect(refused.every((r) => r.errorCode === 'FORBIDDEN' && r.attempts === 0)).toBe(true);
    // Rows are taken in order and each checks the owner before taking its index: once one row saw the
    // demotion, no later row was minted as a moderator.
    const firstRefused = Math.min(...refused.map((r) => r.row));
    expect(Math.max(...issued.map((r) => r.row))).toBeLessThan(firstRefused);
    expect(run.rows.filter((r) => r.row > firstRefused).every((r) => r.status === 'failed' && r.errorCode === 'FORBIDDEN')).toBe(true);
    // What IVS Chat saw: a call only for the rows checked before the demotion, each with an audit row as a moderator.
    expect(run.audit).toHaveLength(run.rows.filter((r) => r.auditId !== null && r.errorCode !== 'FORBIDDEN').length);
    expect(run.audit.every((a) => a.actor_role === 'moderator')).toBe(true);
    expect(run.received).toBe(run.rows.reduce((n, r) => n + r.attempts, 0));
    const pending = run.audit.filter((a) => a.status === 'pending').length;
    expect(run.tokensIssued).toBeGreaterThanOrEqual(issued.length);
    expect(run.tokensIssued).toBeLessThanOrEqual(issued.length + pending);
    // The demotion took effect within OWNER_RECHECK_MS (plus the time a loaded machine takes to run the next check).
    const lastMint = Math.max(...run.audit.map((a) => Date.parse(a.at)));
    console.log(`[bulk authority] last mint ${lastMint - run.changedAt} ms after the demotion was written`);
    expect(lastMint - run.changedAt).toBeLessThan(runner.OWNER_RECHECK_MS + 3_000);

    // The tokens are grants a viewer may not make: no download, and they stay held.
    const taken = await runner.takeBulkTokens(owner.id, run.id);
    expect(taken).toMatchObject({ ok: false, code: 'FORBIDDEN', rule: 'roles.viewer.mayMint' });
    expect(run.job.tokens).toBe('held');
    // Demoted to a role that mints, but not these grants: still no.
    await staffStore.setStaffRole(owner.id, 'support');
    expect(await runner.takeBulkTokens(owner.id, run.id)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      rule: 'roles.support.capabilities',
    });
    await staffStore.setStaffRole(owner.id, 'moderator');
    const back = await runner.takeBulkTokens(owner.id, run.id);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.rows.filter((r) => r.token).length).toBe(issued.length);
  }, 90_000);

  it('a member disabled mid-run: the job stops, says so, and the remaining rows are not attempted', async () => {
    const owner = await newModerator('disabled@example.com');
    const run = await runAndChange(owner, 'dis', () => staffStore.setStaffDisabled(owner.id, true).then(() => {}));

    const skipped = run.rows.filter((r) => r.status === 'skipped');
    console.log(
      `[bulk authority] disabled after ${run.issuedAtChange} issued rows: ${run.job.issued} issued, ${skipped.length} not attempted`,
    );
    expect(run.job.status).toBe('stopped');
    expect(run.job.note).toMatch(/owner's account was disabled.*not attempted/);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.length).toBe(ROWS - run.job.issued - run.job.failed);
    expect(skipped.every((r) => r.attempts === 0 && r.auditId === null && r.errorMessage?.includes('not attempted'))).toBe(true);
    const attempted = run.rows.filter((r) => r.status !== 'skipped');
    expect(Math.max(...attempted.map((r) => r.row))).toBeLessThan(Math.min(...skipped.map((r) => r.row)));
    expect(run.audit).toHaveLength(run.rows.filter((r) => r.auditId !== null && r.errorCode !== 'FORBIDDEN').length);
    expect(run.received).toBe(run.rows.reduce((n, r) => n + r.attempts, 0));
    const lastMint = Math.max(...run.audit.map((a) => Date.parse(a.at)));
    expect(lastMint - run.changedAt).toBeLessThan(runner.OWNER_RECHECK_MS + 3_000);

    // A disabled member gets nothing, and re-enabled gets the tokens of the rows that were minted.
    expect(await runner.takeBulkTokens(owner.id, run.id)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    await staffStore.setStaffDisabled(owner.id, false);
    const taken = await runner.takeBulkTokens(owner.id, run.id);
    expect(taken.ok, JSON.stringify(taken)).toBe(true);
  }, 90_000);
});
