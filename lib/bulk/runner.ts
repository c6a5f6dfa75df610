import 'server-only';
import { randomUUID } from 'node:crypto';
import { checkMintPolicy, getPolicy, roleCan, rolePolicy } from '@/lib/auth/policy';
import { defaultSessionMinutes } from '@/lib/shared/tokens/mint-defaults';
import { getStaffById, type Staff } from '@/lib/auth/staff-store';
import { roomArnRegionProblem } from '@/lib/ivschat/client';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { log } from '@/lib/log';
import { mintToken } from '@/lib/mint/mint-token';
import { reserveBulkRows, type BulkReservation } from '@/lib/mint/rate-limit';
import {
  bulkJobSchema,
  sourceToRows,
  validateBulkRows,
  type BulkJobRequest,
  type BulkJobView,
  type BulkRowError,
  type BulkRowInput,
  type BulkTokensState,
} from '@/lib/shared/bulk/schema';
import { fail, invalidInput, type Failure, type FieldErrors } from '@/lib/contract/result';
import type { Role } from '@/lib/shared/policy/roles';
import { accountForArn } from '@/lib/ivschat/accounts';
import { inBatchLane, shareOf } from '@/lib/ivschat/governor';
import { metrics } from '@/lib/ops/metrics';
import { BulkPacer } from './pacer';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import {
  allBulkRows,
  failedBulkRows,
  getBulkJobRecord,
  insertBulkJob,
  markBulkJobInterrupted,
  markBulkTokensDownloaded,
  recordBulkProgress,
  type BulkJobRecord,
  type RowOutcome,
} from './store';

/**
 * Runs bulk jobs inside the console's Node process, off the request: the request that starts a
 * job returns at once and the page polls. Outcomes go to the database as they happen; tokens stay
 * only in this process's memory until the one download or TOKEN_RETENTION_MS after the job ends,
 * whichever comes first. A job whose process stops shows as interrupted (heartbeat, below).
 */

/** Rows in flight at once: enough to keep 190/s busy when each mint takes ~100 ms end to end. */
const WORKERS = 32;
const FLUSH_EVERY_MS = 250;
/** A running job's heartbeat older than this, with no live runner here, means its process is gone. */
const STALE_AFTER_MS = 10_000;
const TOKEN_RETENTION_MS = 15 * 60_000;
const ROOM_LISTING_REFRESH_MS = 10_000;
/**
 * How old the owner's state and role may be when a row is minted. Every row is minted as the owner
 * is now (DESIGN.md: a bulk row re-checks, it does not remember); one read of the staff row per
 * second for the whole job instead of one per row (190 a second). So a demotion or a disable takes
 * effect for every row whose check starts at most this long after the change; rows already past
 * their check (at most WORKERS, waiting for their CreateChatToken turn) finish as they were checked.
 */
export const OWNER_RECHECK_MS = 1_000;

export interface HeldToken {
  token: string;
  tokenExpirationTime: string;
  sessionExpirationTime: string;
}

interface LiveJob {
  id: string;
  staffId: string;
  running: boolean;
  cancelRequested: boolean;
  /** Set when the owner was found disabled (or gone) mid-run: the remaining rows are not attempted. */
  ownerStopped: string | null;
  tokens: Map<number, HeldToken> | null;
  tokensExpireAt: number | null;
  tokensExpired: boolean;
  expiryTimer: ReturnType<typeof setTimeout> | null;
  done: Promise<void>;
}

// On globalThis: Next may evaluate this module once per route bundle; the job started by one route
// must be the one the status and download routes find.
const globalState = globalThis as typeof globalThis & {
  __ivsConsoleBulk?: { instanceId: string; jobs: Map<string, LiveJob> };
};
const state = (globalState.__ivsConsoleBulk ??= { instanceId: randomUUID(), jobs: new Map() });

export interface BulkStaff {
  id: string;
  email: string;
  role: Role;
}

/** A refused start: the one Failure, plus the rows that are not valid (`INVALID_INPUT` from the CSV or the rows). */
export type BulkStartFailure = Failure & { rowErrors?: BulkRowError[]; invalidRows?: number };

export type StartBulkJobResult = { ok: true; id: string; total: number } | BulkStartFailure;

/** Validates everything (every row with the mint schema, the policy once), books the rows, starts the run. */
export async function startBulkJob(staff: BulkStaff, input: unknown, options: { retryOf?: string } = {}): Promise<StartBulkJobResult> {
  // Left out, the duration is the role's default (mint-defaults.ts), as for a single mint.
  const withDuration =
    input && typeof input === 'object' && !Array.isArray(input) && (input as Record<string, unknown>).sessionDurationInMinutes === undefined
      ? { ...input, sessionDurationInMinutes: defaultSessionMinutes(rolePolicy(staff.role).maxSessionMinutes) }
      : input;
  const parsed = bulkJobSchema.safeParse(withDuration);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const request = parsed.data;
  const regionProblem = roomArnRegionProblem(request.roomArn);
  if (regionProblem) return fail('INVALID_INPUT', regionProblem, { fieldErrors: { roomArn: regionProblem } });
  if (!roleCan(staff.role, 'mint')) {
    return fail('FORBIDDEN', `The ${staff.role} role may not mint tokens (rule roles.${staff.role}.mayMint).`, {
      rule: `roles.${staff.role}.mayMint`,
    });
  }
  const source = sourceToRows(request.source);
  if (!source.ok) {
    return { ...fail('INVALID_INPUT', 'The CSV cannot be read.'), rowErrors: source.errors, invalidRows: source.errors.length };
  }
  const shared = {
    roomArn: request.roomArn,
    capabilities: request.capabilities,
    sessionDurationInMinutes: request.sessionDurationInMinutes,
    reason: request.reason,
  };
  const { errors, invalidRows } = validateBulkRows(shared, source.rows);
  if (invalidRows > 0) {
    return {
      ...fail('INVALID_INPUT', `${invalidRows} of ${source.rows.length} rows are not valid; nothing was minted. Fix them and start again.`),
      rowErrors: errors,
      invalidRows,
    };
  }
  // The batch's shared fields, checked once up front so a refused batch starts nothing; mintToken
  // checks the policy again for every row (a demotion mid-run stops the remaining rows).
  const decision = await checkMintPolicy(staff.role, { ...shared, userId: source.rows[0].userId, attributes: source.rows[0].attributes });
  if (!decision.allowed) {
    const fieldErrors: FieldErrors = {};
    for (const r of decision.refusals) if (r.field) fieldErrors[r.field] ??= `${r.message} (${r.rule})`;
    return fail('FORBIDDEN', `${decision.message} (rule ${decision.rule})`, { rule: decision.rule, fieldErrors });
  }

  const id = randomUUID();
  const limit = getPolicy().rateLimits.bulkRowsPerStaff;
  const reserved = await reserveBulkRows(staff.id, id, source.rows.length, limit);
  if (!reserved.allowed) {
    return fail(
      'RATE_LIMITED',
      `This batch would pass the bulk limit of ${limit.max} rows per ${limit.windowSeconds} s per staff member (rule rateLimits.bulkRowsPerStaff). Try a smaller batch or again in ${reserved.retryAfterSeconds} s.`,
      { rule: 'rateLimits.bulkRowsPerStaff', retryable: true, retryAfterSeconds: reserved.retryAfterSeconds },
    );
  }

  const now = new Date().toISOString();
  await insertBulkJob(
    {
      id,
      staff_id: staff.id,
      staff_email: staff.email.toLowerCase(),
      staff_role: staff.role,
      room_arn: request.roomArn,
      capabilities: JSON.stringify(request.capabilities),
      duration_minutes: request.sessionDurationInMinutes,
      reason: request.reason,
      source_kind: request.source.kind,
      total: source.rows.length,
      instance_id: state.instanceId,
      created_at: now,
      updated_at: now,
      retry_of: options.retryOf ?? null,
    },
    source.rows.map((r) => ({ userId: r.userId, attributes: r.attributes })),
  );
  const live: LiveJob = {
    id,
    staffId: staff.id,
    running: true,
    cancelRequested: false,
    ownerStopped: null,
    tokens: new Map(),
    tokensExpireAt: null,
    tokensExpired: false,
    expiryTimer: null,
    done: Promise.resolve(),
  };
  state.jobs.set(id, live);
  live.done = runJob(live, request, source.rows, reserved.reservation).catch((err) => {
    // Never expected (every row's failure is caught); the job then reads as interrupted.
    live.running = false;
    log.error({ event: 'bulk.run_failed', jobId: id, err: err instanceof Error ? err.message : String(err) }, 'bulk job stopped');
  });
  log.info(
    { event: 'bulk.started', jobId: id, actor: staff.email, rows: source.rows.length, source: request.source.kind },
    'bulk job started',
  );
  return { ok: true, id, total: source.rows.length };
}

/**
 * A new job for exactly the failed rows of a finished job (same room, grants, reason and each
 * row's attributes), started through startBulkJob: every row is validated, the owner's role and
 * policy are checked as they are now, the bulk rate limit counts the rows, and each row is its own
 * audit entry under the new batch id. Rows whose outcome is unknown are left out: a token may exist.
 */
export async function retryBulkJob(staff: BulkStaff, id: string): Promise<StartBulkJobResult> {
  const record = await currentRecord(id);
  if (!record || record.staff_id !== staff.id) return fail('NOT_FOUND', 'No such bulk job.');
  if (record.status === 'running') {
    return fail('CONFLICT', 'The job is still running; its failed rows can be retried when it has finished.', { retryable: true });
  }
  const failed = await failedBulkRows(id);
  if (failed.length === 0) return fail('CONFLICT', 'This job has no failed rows to retry.');
  const keys = [...new Set(failed.flatMap((r) => r.attributes.map((a) => a.key)))];
  // The CSV the rows came from, rebuilt: the new job parses and checks it like any other.
  const csv = stringifyCsv(
    [['userId', ...keys], ...failed.map((r) => [r.userId, ...keys.map((k) => r.attributes.find((a) => a.key === k)?.value ?? '')])],
    { record_delimiter: '\n' },
  );
  log.info({ event: 'bulk.retry', jobId: id, actor: staff.email, rows: failed.length }, 'retrying the failed rows of a bulk job');
  return startBulkJob(
    staff,
    {
      roomArn: record.room_arn,
      capabilities: JSON.parse(record.capabilities) as unknown,
      sessionDurationInMinutes: record.duration_minutes,
      reason: record.reason,
      source: { kind: 'csv', csv },
    },
    { retryOf: id },
  );
}

/** The owner as the staff store has them now, read at most once per OWNER_RECHECK_MS for the whole job. */
function ownerReader(staffId: string): () => Promise<Staff | null> {
  let cached: { at: number; staff: Promise<Staff | null> } | null = null;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at >= OWNER_RECHECK_MS) {
      const staff = getStaffById(staffId);
      const entry = { at: now, staff };
      cached = entry;
      staff.catch(() => {
        if (cached === entry) cached = null;
      });
    }
    return cached.staff;
  };
}

async function runJob(live: LiveJob, request: BulkJobRequest, rows: BulkRowInput[], reservation: BulkReservation): Promise<void> {
  const started = performance.now();
  const pacer = new BulkPacer();
  const counts = { issued: 0, failed: 0 };
  let pending: RowOutcome[] = [];
  let next = 0;

  const flush = async (finish?: { status: 'completed' | 'cancelled' | 'stopped'; note: string | null }) => {
    const batch = pending;
    pending = [];
    try {
      await recordBulkProgress(live.id, batch, counts, finish);
    } catch (err) {
      // Kept for the next flush; the outcomes are also in the audit log under the batch id.
      pending = batch.concat(pending);
      log.error(
        { event: 'bulk.flush_failed', jobId: live.id, err: err instanceof Error ? err.message : String(err) },
        'bulk progress write failed',
      );
      if (finish) throw err;
    }
  };
  let flushing: Promise<void> = Promise.resolve();
  const ticker = setInterval(() => {
    flushing = flushing.then(() => flush());
  }, FLUSH_EVERY_MS);
  // The per-row policy check reads a room's tags from the picker's listing while it is fresh (15 s)
  // and calls GetRoom otherwise; keeping the listing fresh saves a GetRoom per row on long runs.
  await listAllRooms({ fresh: true }).catch(() => {});
  const roomsTicker = setInterval(() => void listAllRooms({ fresh: true }).catch(() => {}), ROOM_LISTING_REFRESH_MS);

  const readOwner = ownerReader(live.staffId);
  const worker = async () => {
    while (!live.cancelRequested && !live.ownerStopped) {
      if (next >= rows.length) return;
      // Unreadable (the database is down): the row below fails closed, like any mint without its database.
      const owner = await readOwner().catch(() => 'unreadable' as const);
      if (owner === null || (owner !== 'unreadable' && owner.disabled)) {
        live.ownerStopped ??= owner === null ? 'was removed' : 'was disabled';
        return;
      }
      if (live.cancelRequested || live.ownerStopped) return;
      const i = next++;
      if (i >= rows.length) return;
      const row = rows[i];
      let attempts = 0;
      const rowPacer = {
        acquire: () => {
          attempts++;
          return pacer.acquire();
        },
        retryDelay: pacer.retryDelay.bind(pacer),
      };
      let outcome: RowOutcome;
      try {
        if (owner === 'unreadable') throw new Error('the owner could not be read');
        const result = await inBatchLane(() =>
          mintToken(
            { staffId: owner.id, email: owner.email, role: owner.role, via: 'bulk' },
            {
              roomArn: request.roomArn,
              userId: row.userId,
              attributes: row.attributes,
              capabilities: request.capabilities,
              sessionDurationInMinutes: request.sessionDurationInMinutes,
              reason: request.reason,
            },
            { batchId: live.id, pacer: rowPacer, bulkReservation: reservation },
          ),
        );
        if (result.ok) {
          counts.issued++;
          live.tokens?.set(row.row, {
            token: result.data.token,
            tokenExpirationTime: result.data.tokenExpirationTime,
            sessionExpirationTime: result.data.sessionExpirationTime,
          });
          outcome = {
            idx: row.row,
            status: 'issued',
            auditId: result.data.auditId,
            errorCode: null,
            awsCode: null,
            errorMessage: result.data.auditWarning ?? null,
            attempts,
          };
        } else {
          counts.failed++;
          outcome = {
            idx: row.row,
            status: 'failed',
            auditId: result.auditId ?? null,
            errorCode: result.code,
            awsCode: result.awsCode ?? null,
            errorMessage: result.message,
            attempts,
          };
        }
      } catch (err) {
        counts.failed++;
        log.error(
          { event: 'bulk.row_error', jobId: live.id, row: row.row, err: err instanceof Error ? err.message : String(err) },
          'bulk row threw',
        );
        outcome = {
          idx: row.row,
          status: 'failed',
          auditId: null,
          errorCode: 'INTERNAL',
          awsCode: null,
          errorMessage: 'Something went wrong on the server; no token was issued for this row.',
          attempts,
        };
      }
      metrics().bulkRows.inc({ status: outcome.status });
      pending.push(outcome);
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(WORKERS, rows.length) }, worker));
  } finally {
    clearInterval(ticker);
    clearInterval(roomsTicker);
    await flushing;
  }
  const unattempted = rows.length - Math.min(next, rows.length);
  const status = live.ownerStopped && unattempted > 0 ? 'stopped' : live.cancelRequested && unattempted > 0 ? 'cancelled' : 'completed';
  const note =
    status === 'stopped'
      ? `Stopped: the owner's account ${live.ownerStopped}, so the remaining ${unattempted} rows were not attempted.`
      : status === 'cancelled'
        ? 'Cancelled by its owner; the remaining rows were not attempted.'
        : null;
  for (let attempt = 0; ; attempt++) {
    try {
      await flush({ status, note });
      break;
    } catch {
      if (attempt >= 20) break; // the heartbeat goes stale and the job reads as interrupted
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  live.running = false;
  live.tokensExpireAt = Date.now() + TOKEN_RETENTION_MS;
  live.expiryTimer = setTimeout(() => dropTokens(live, true), TOKEN_RETENTION_MS);
  live.expiryTimer.unref?.();
  const seconds = (performance.now() - started) / 1000;
  log.info(
    {
      event: 'bulk.finished',
      jobId: live.id,
      status,
      rows: rows.length,
      issued: counts.issued,
      failed: counts.failed,
      throttled: pacer.throttled,
      retried: pacer.retried,
      seconds: Number(seconds.toFixed(2)),
    },
    'bulk job finished',
  );
}

function dropTokens(live: LiveJob, expired: boolean) {
  live.tokens?.clear();
  live.tokens = null;
  live.tokensExpired = expired;
  if (live.expiryTimer) clearTimeout(live.expiryTimer);
  live.expiryTimer = null;
}

/** Resolves when the job's run in this process has finished (tests). */
export async function waitForBulkJob(id: string): Promise<void> {
  await state.jobs.get(id)?.done;
}

export function cancelBulkJob(staffId: string, id: string): boolean {
  const live = state.jobs.get(id);
  if (!live || live.staffId !== staffId || !live.running) return false;
  live.cancelRequested = true;
  return true;
}

const INTERRUPTED_NOTE =
  'Interrupted: the console process running this job stopped before it finished. Rows it never sent are marked skipped; rows whose request had reached the audit log take their outcome from it (outcome unknown while the audit record is pending); tokens that were issued are gone.';

/** The job's record, noticing a run whose process has gone (same process: at once; another: stale heartbeat). */
async function currentRecord(id: string): Promise<BulkJobRecord | null> {
  let record = await getBulkJobRecord(id);
  if (record?.status === 'running' && !state.jobs.get(id)?.running) {
    const ours = record.instance_id === state.instanceId;
    if (ours || Date.now() - Date.parse(record.updated_at) > STALE_AFTER_MS) {
      await markBulkJobInterrupted(record, INTERRUPTED_NOTE);
      record = await getBulkJobRecord(id);
    }
  }
  return record;
}

function tokensState(record: BulkJobRecord, live: LiveJob | undefined): BulkTokensState {
  if (record.tokens_downloaded_at) return 'downloaded';
  if (live?.tokens) return 'held';
  if (live?.tokensExpired) return 'expired';
  return 'unavailable';
}

export function toBulkJobView(record: BulkJobRecord): BulkJobView {
  const live = state.jobs.get(record.id);
  const done = record.issued + record.failed;
  return {
    id: record.id,
    status: record.status as BulkJobView['status'],
    roomArn: record.room_arn,
    capabilities: JSON.parse(record.capabilities) as string[],
    sessionDurationInMinutes: record.duration_minutes,
    reason: record.reason,
    sourceKind: record.source_kind as BulkJobView['sourceKind'],
    total: record.total,
    issued: record.issued,
    failed: record.failed,
    remaining: record.status === 'running' ? record.total - done : 0,
    createdAt: record.created_at,
    finishedAt: record.finished_at,
    tokens: tokensState(record, live),
    tokensDownloadedAt: record.tokens_downloaded_at,
    tokensExpireAt: live?.tokens && live.tokensExpireAt ? new Date(live.tokensExpireAt).toISOString() : null,
    note: record.note,
    retryOf: record.retry_of ?? null,
    shareRatePerSecond: batchShareFor(record.room_arn),
    ...progressRate(record, done),
  };
}

/**
 * Rows settled per second since the job started, and the time left at that rate, while it runs;
 * once it has finished, the rate it ran at (start to finish) and no time left.
 */
function progressRate(record: BulkJobRecord, done: number): { ratePerSecond: number | null; etaSeconds: number | null } {
  if (record.status !== 'running') {
    const ran = record.finished_at ? (Date.parse(record.finished_at) - Date.parse(record.created_at)) / 1000 : 0;
    return { ratePerSecond: ran > 0 && done > 0 ? Math.round((done / ran) * 10) / 10 : null, etaSeconds: null };
  }
  const seconds = (Date.now() - Date.parse(record.created_at)) / 1000;
  if (seconds < 1 || done === 0) return { ratePerSecond: null, etaSeconds: null };
  const rate = done / seconds;
  return { ratePerSecond: Math.round(rate * 10) / 10, etaSeconds: Math.ceil((record.total - done) / rate) };
}

/** The governor's batch lane for the room's account and region: the fastest this job can go. */
function batchShareFor(roomArn: string): number | null {
  const account = accountForArn(roomArn);
  if (!account) return null;
  const region = roomArn.split(':')[3] ?? '';
  return Math.round(shareOf('CreateChatToken', account.config?.mintRatePerSecond[region]).batch * 10) / 10;
}

/** The job as its owner sees it; null when it does not exist or belongs to someone else. */
export async function getBulkJobForStaff(staffId: string, id: string): Promise<BulkJobView | null> {
  const record = await currentRecord(id);
  if (!record || record.staff_id !== staffId) return null;
  return toBulkJobView(record);
}

export type TakeTokensResult =
  | { ok: true; job: BulkJobView; rows: (Awaited<ReturnType<typeof allBulkRows>>[number] & Partial<HeldToken>)[] }
  | (Failure & { tokens?: BulkTokensState });

/**
 * Whether the owner, as the staff store has them now (no cache), may still mint what the job
 * granted: the tokens are those grants, so a member demoted or disabled since the run does not get
 * them. Null when they may.
 */
async function downloadRefusal(staffId: string, record: BulkJobRecord): Promise<Failure | null> {
  const owner = await getStaffById(staffId);
  if (!owner || owner.disabled) return fail('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
  const decision = await checkMintPolicy(owner.role, {
    roomArn: record.room_arn,
    userId: 'bulk-download',
    attributes: [],
    capabilities: JSON.parse(record.capabilities) as BulkJobRequest['capabilities'],
    sessionDurationInMinutes: record.duration_minutes,
    reason: record.reason ?? '',
  });
  if (decision.allowed) return null;
  return fail(
    'FORBIDDEN',
    `The tokens are grants your role (${owner.role}) may no longer make, so they cannot be downloaded: ${decision.message} (rule ${decision.rule})`,
    { rule: decision.rule },
  );
}

/**
 * The one download: hands over the tokens and forgets them, before anything is written out, so
 * a second request (even a concurrent one) finds them gone. The owner's right to mint the job's
 * grants is checked now, not when the job started.
 */
export async function takeBulkTokens(staffId: string, id: string): Promise<TakeTokensResult> {
  const record = await currentRecord(id);
  if (!record || record.staff_id !== staffId) return fail('NOT_FOUND', 'No such bulk job.');
  const refused = await downloadRefusal(staffId, record);
  if (refused) return refused;
  const live = state.jobs.get(id);
  if (record.status === 'running')
    return fail('CONFLICT', 'The job is still running; the download opens when it has finished.', { retryable: true });
  const view = toBulkJobView(record);
  if (!live?.tokens) {
    const message =
      view.tokens === 'downloaded'
        ? `The tokens were downloaded at ${record.tokens_downloaded_at} and are no longer kept. The per-row results (without tokens) stay on this page and in the audit log.`
        : view.tokens === 'expired'
          ? 'The tokens were not downloaded within 15 minutes and are no longer kept. The per-row results (without tokens) stay on this page and in the audit log.'
          : 'The tokens are not held by this console process (it was restarted, or another replica ran the job). They cannot be recovered; the per-row results stay on this page and in the audit log.';
    return { ...fail('GONE', message), tokens: view.tokens };
  }
  // Detached synchronously: a concurrent second request finds nothing from here on.
  const tokens = live.tokens;
  live.tokens = null;
  let stored;
  try {
    stored = await allBulkRows(id);
  } catch (err) {
    live.tokens = tokens; // nothing was handed over; the one download is still to come
    throw err;
  }
  if (live.expiryTimer) clearTimeout(live.expiryTimer);
  live.expiryTimer = null;
  const rows = stored.map((row) => ({ ...row, ...tokens.get(row.row) }));
  tokens.clear();
  try {
    await markBulkTokensDownloaded(id);
  } catch (err) {
    log.error(
      { event: 'bulk.mark_downloaded_failed', jobId: id, err: err instanceof Error ? err.message : String(err) },
      'could not record the bulk download',
    );
  }
  log.info({ event: 'bulk.downloaded', jobId: id, actor: record.staff_email, tokens: tokens.size }, 'bulk tokens downloaded');
  return { ok: true, job: { ...view, tokens: 'downloaded', tokensDownloadedAt: new Date().toISOString(), tokensExpireAt: null }, rows };
}
