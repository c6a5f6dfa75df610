import 'server-only';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import type pg from 'pg';
import { getDatabase, type DatabaseHandle } from '@/lib/db';
import { defaultCheckpointFile, readCheckpoints, type Checkpoint } from './checkpoint';
import { chainKeyring, type Keyring } from './keys';
import type { VerifyProblem, VerifyResult } from './types';
import {
  ChunkVerifier,
  KIND,
  linkProblem,
  postgresRun,
  PROJ,
  sqliteRun,
  type ChainSource,
  type ChunkInput,
  type ChunkResult,
} from './verify-chunk';

/**
 * `npm run audit -- verify`: the whole chain in seq order, in runs of CHUNK seqs read as arrays
 * (lib/audit/verify-chunk.ts). The runs are independent (each entry stores its prev_hash), so they
 * are shared out between this thread and worker threads that open their own connections; the
 * results are joined here in seq order: links between runs, segments across runs, one completion
 * per request, and the audit_mints statuses. The outcome is the same whichever thread checked a run.
 *
 * Entries up to the head as it was when verify started are checked; later writes by a running
 * console are left for the next run.
 */

export interface VerifyOptions {
  checkpointFile?: string | null;
  keyring?: Keyring;
  /** Worker threads besides this one. Default: one per further core, at most 3; 0 checks everything here. */
  workers?: number;
  /** Workers start only for a log at least this long (starting one costs about a second). Default 200,000. */
  parallelFrom?: number;
  /** Seqs per run. Default 25,000. */
  chunkSize?: number;
}

const MAX_PROJECTION_PROBLEMS = 20;
// Names, not `new URL('./literal', ...)`: bundlers would otherwise build the worker into the
// console's server bundle, which never runs verify (the CLI and the tests do, from the sources).
const WORKER_ENTRY = './verify-worker.mjs';
const WORKER_MODULE = './verify-worker.ts';
const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());

async function appendOnlyGuards(handle: DatabaseHandle): Promise<string[]> {
  if (handle.kind === 'sqlite') {
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'`.execute(
      handle.db,
    );
    const names = new Set(rows.map((r) => r.name));
    return ['audit_log_no_update', 'audit_log_no_delete'].filter((n) => !names.has(n));
  }
  const { rows } = await sql<{ name: string }>`
    select tgname as name from pg_trigger where tgrelid = 'audit_log'::regclass and tgenabled <> 'D' and not tgisinternal`.execute(
    handle.db,
  );
  const names = new Set(rows.map((r) => r.name));
  return ['audit_log_append_only', 'audit_log_no_truncate'].filter((n) => !names.has(n));
}

/** Reads and checks runs on this thread; PostgreSQL reads the next run while this one is checked. */
async function checkHere(
  handle: DatabaseHandle,
  verifier: ChunkVerifier,
  take: () => ChunkInput | null,
  done: (r: ChunkResult) => void,
): Promise<void> {
  const driver = handle.driver;
  if (driver.kind === 'sqlite') {
    const read = sqliteRun(driver.database);
    for (let c = take(); c; c = take()) {
      const { entries, mints } = read(c.lo, c.hi);
      done(verifier.verify(c, entries, mints));
      // Lets worker results and other callers in between runs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return;
  }
  const client: pg.PoolClient = await driver.pool.connect();
  try {
    const read = postgresRun(client);
    let current = take();
    let pending = current && read(current.lo, current.hi);
    while (current && pending) {
      const rows = await pending;
      const next = take();
      pending = next && read(next.lo, next.hi);
      pending?.catch(() => {});
      done(verifier.verify(current, rows.entries, rows.mints));
      current = next;
    }
  } finally {
    client.release();
  }
}

/** One worker thread (verify-worker.mjs) checking the runs it is given, two at a time so its next read overlaps. */
function checkInWorker(
  source: ChainSource,
  keys: [string, string][],
  take: () => ChunkInput | null,
  done: (r: ChunkResult) => void,
  giveBack: (c: ChunkInput) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(WORKER_ENTRY, import.meta.url), {
      workerData: { source, keys, module: new URL(WORKER_MODULE, import.meta.url).href },
      execArgv: ['--conditions=react-server'],
    });
    const outstanding = new Map<number, ChunkInput>();
    let finished = false;
    const send = () => {
      const c = take();
      if (c) {
        outstanding.set(c.lo, c);
        worker.postMessage({ chunk: c });
      }
      return c;
    };
    const end = () => {
      if (finished) return;
      finished = true;
      // Runs a worker did not finish go back to the queue (this thread takes them).
      for (const c of outstanding.values()) giveBack(c);
      void worker.terminate();
      resolve();
    };
    worker.on('message', (msg: { ready?: true; result?: ChunkResult; error?: string }) => {
      if (msg.ready) {
        send();
        send();
        if (outstanding.size === 0) end();
      } else if (msg.result) {
        outstanding.delete(msg.result.lo);
        done(msg.result);
        send();
        if (outstanding.size === 0) end();
      } else if (msg.error) end();
    });
    worker.on('error', end);
    worker.on('exit', end);
  });
}

function workerSource(handle: DatabaseHandle): ChainSource | null {
  const d = handle.driver;
  if (d.kind === 'sqlite') return d.file ? { kind: 'sqlite', file: d.file } : null;
  return { kind: 'postgres', url: d.url, schema: d.schema };
}

/**
 * Walks the whole chain in seq order: sequence, links, each entry's keyed hash under its key id,
 * segments, one completion per request; recomputes the audit_mints projection alongside; and
 * checks every valid checkpoint in the sink against the entry at its seq.
 */
export async function verifyAuditChain(db?: DatabaseHandle, options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const handle = await handleOf(db);
  const keyring = options.keyring ?? chainKeyring();
  const file = options.checkpointFile === undefined ? defaultCheckpointFile() : options.checkpointFile;
  const problems: VerifyProblem[] = [];
  const warnings: string[] = [];

  for (const missing of await appendOnlyGuards(handle)) {
    problems.push({ kind: 'database', problem: `the append-only trigger ${missing} is missing or disabled: someone changed the schema` });
  }

  const checkpoints: Checkpoint[] = [];
  let latest: Checkpoint | null = null;
  if (file) {
    const read = readCheckpoints(file, keyring);
    for (const r of read.rejected) problems.push({ kind: 'checkpoint', problem: `${file} line ${r.line}: ${r.reason}` });
    for (const c of read.valid) {
      checkpoints.push(c);
      if (!latest || c.seq > latest.seq || (c.seq === latest.seq && c.at > latest.at)) latest = c;
    }
    if (checkpoints.length === 0) warnings.push(`no checkpoint in ${file} yet: entries cut off the end of the log would not show`);
  } else {
    warnings.push('no checkpoint file (AUDIT_CHECKPOINT_FILE): entries cut off the end of the log would not show');
  }

  // The runs: (0, end] where end is the newest seq now.
  const end = Number((await sql<{ n: number | string | null }>`select max(seq) as n from audit_log`.execute(handle.db)).rows[0]?.n ?? 0);
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 25_000));
  const queue: ChunkInput[] = [];
  for (let lo = 0; lo < end; lo += chunkSize) {
    const hi = Math.min(end, lo + chunkSize);
    queue.push({
      lo,
      hi,
      checkpoints: checkpoints.filter((c) => c.seq > lo && c.seq <= hi).map(({ seq, hash, at }) => ({ seq, hash, at })),
    });
  }
  const results = new Map<number, ChunkResult>();
  const take = () => queue.shift() ?? null;
  const done = (r: ChunkResult) => void results.set(r.lo, r);
  const keys = [...keyring.byId.values()].map((k): [string, string] => [k.id, k.secret]);
  const verifier = new ChunkVerifier(keys);
  const source = workerSource(handle);
  const workers =
    source && end >= (options.parallelFrom ?? 200_000)
      ? Math.min(queue.length - 1, Math.max(0, Math.floor(options.workers ?? Math.min(3, availableParallelism() - 1))))
      : 0;
  const running = Array.from({ length: workers }, () => checkInWorker(source!, keys, take, done, (c) => queue.unshift(c)));
  await checkHere(handle, verifier, take, done);
  await Promise.all(running);
  // Runs a worker handed back after this thread had finished.
  if (queue.length) await checkHere(handle, verifier, take, done);

  // Joined in seq order.
  const segments: { keyId: string; fromSeq: number; toSeq: number }[] = [];
  const usedKeys = new Set<string>();
  const open = new Set<number>();
  const announced = new Map<number, { request: number; status: string }>();
  const pendingInProjection = new Set<number>();
  /** `at`: the entry whose check found it, for the report's order. */
  const projection: { seq: number; problem: string; at: number }[] = [];
  let chainBroken: VerifyProblem | null = null;
  let prev: { seq: number; hash: string; keyId: string } | null = null;
  let lastGood = 0;
  let matched = 0;
  const checkpointProblems: VerifyProblem[] = [];

  for (let lo = 0; lo < end && !chainBroken; lo += chunkSize) {
    const r = results.get(lo);
    if (!r) throw new Error(`verify: the run after seq ${lo} was not checked`);
    // The run's first problem, in the order a row's checks run: its link to the run before, then
    // what the run found itself, then a key coming back (across runs), then its completion.
    let broken: { seq: number; problem: string; lastGood: number } | null = null;
    const before = prev?.seq ?? 0;
    const link = r.first && linkProblem(prev, r.first.seq, r.first.prevHash);
    if (link) broken = { seq: r.first!.seq, problem: link, lastGood: before };
    else if (r.broken) broken = { seq: r.broken.seq, problem: r.broken.problem, lastGood: r.broken.prevSeq ?? before };
    const stopAt = () => broken?.seq ?? Infinity;
    const runKeys = new Set(usedKeys);
    let lastKey = segments.at(-1)?.keyId;
    for (const s of r.segments) {
      if (s.fromSeq >= stopAt()) break;
      if (s.keyId !== lastKey && runKeys.has(s.keyId)) {
        broken = {
          seq: s.fromSeq,
          problem: `key id ${s.keyId} returns after a newer key took over: a retired key was used to write`,
          lastGood: s.fromSeq - 1,
        };
        break;
      }
      runKeys.add(s.keyId);
      lastKey = s.keyId;
    }
    // One completion per request, and what audit_mints says of each, in seq order.
    const top = Math.min(r.hi, stopAt() - 1);
    for (let seq = r.lo + 1; seq <= top; seq++) {
      const i = seq - r.lo - 1;
      const kind = r.kinds[i];
      if (kind === KIND.request) {
        open.add(seq);
        const p = r.proj[i];
        if (p === PROJ.pending) pendingInProjection.add(seq);
        else if (p === PROJ.issued || p === PROJ.failed) {
          announced.set(r.projCompletion[i], { request: seq, status: p === PROJ.issued ? 'issued' : 'failed' });
        }
      } else if (kind === KIND.issued || kind === KIND.failed) {
        const request = r.refs[i];
        const status = kind === KIND.issued ? 'issued' : 'failed';
        if (!open.delete(request)) {
          broken = { seq, problem: `mint.${status} completes seq ${request}, which is not a pending mint request`, lastGood: seq - 1 };
          break;
        }
        const a = announced.get(seq);
        if (a) {
          announced.delete(seq);
          if (a.request !== request || a.status !== status) {
            projection.push({
              seq,
              at: seq,
              problem: `audit_mints says seq ${a.request} was ${a.status} by seq ${seq}, but that entry ${status} seq ${request}`,
            });
          }
        } else if (pendingInProjection.delete(request)) {
          projection.push({
            seq: request,
            at: seq,
            problem: `audit_mints says seq ${request} is pending, but seq ${seq} recorded it ${status}`,
          });
        } else {
          projection.push({
            seq: request,
            at: seq,
            problem: `audit_mints does not record seq ${seq} (${status}) as the completion of seq ${request}`,
          });
        }
      }
    }
    const stop = stopAt();
    for (const s of r.segments) {
      if (s.fromSeq >= stop) break;
      const toSeq = Math.min(s.toSeq, stop - 1);
      const last = segments.at(-1);
      if (last && last.keyId === s.keyId) last.toSeq = toSeq;
      else {
        usedKeys.add(s.keyId);
        segments.push({ keyId: s.keyId, fromSeq: s.fromSeq, toSeq });
      }
    }
    for (const p of r.projectionProblems) if (p.seq < stop) projection.push({ ...p, at: p.seq });
    for (const c of r.checkpoints) {
      if (c.seq >= stop) continue;
      if (c.matched) matched += 1;
      else {
        checkpointProblems.push({
          kind: 'checkpoint',
          seq: c.seq,
          problem: `entry seq ${c.seq} is not the one checkpointed at ${c.at}: the log was rolled back or rewritten since`,
        });
      }
    }
    if (broken) {
      chainBroken = { kind: 'chain', seq: broken.seq, problem: broken.problem };
      lastGood = broken.lastGood;
    } else if (r.last) prev = r.last;
  }

  let head: { seq: number; hash: string; keyId: string } | null = null;
  let rows = 0;
  if (!chainBroken) {
    head = prev;
    rows = prev?.seq ?? 0;
    for (const [completionSeq, a] of announced) {
      // A completion written after verify started is not in the checked range yet.
      if (completionSeq > end) continue;
      projection.push({
        seq: a.request,
        at: Infinity,
        problem: `audit_mints says seq ${a.request} was ${a.status} by seq ${completionSeq}, which is no such completion`,
      });
    }
    // audit_mints rows past the log's end that no entry backs (a running console's new mints have theirs).
    const strays = await sql<{ seq: number | string }>`
      select m.seq from audit_mints m where m.seq > ${end}
        and not exists (select 1 from audit_log e where e.seq = m.seq and e.action = 'token.minted')
      order by m.seq limit ${MAX_PROJECTION_PROBLEMS + 1}`.execute(handle.db);
    for (const s of strays.rows) {
      projection.push({ seq: Number(s.seq), at: Infinity, problem: `audit_mints has a row for seq ${s.seq}, which is not a mint request` });
    }
    for (const c of checkpoints) {
      if (c.seq > rows) {
        checkpointProblems.push({
          kind: 'checkpoint',
          seq: c.seq,
          problem: `the log ends at seq ${rows}, but the checkpoint of ${c.at} saw seq ${c.seq}: entries were removed (truncation or rollback)`,
        });
      }
    }
  } else {
    // Entries before the break were checked; the head is the last of them.
    rows = lastGood;
    head = lastGood > 0 ? await headAt(handle, lastGood) : null;
  }

  projection.sort((a, b) => a.at - b.at);
  checkpointProblems.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  problems.push(...checkpointProblems);
  for (const p of projection.slice(0, MAX_PROJECTION_PROBLEMS)) problems.push({ kind: 'projection', seq: p.seq, problem: p.problem });
  if (projection.length > MAX_PROJECTION_PROBLEMS) {
    problems.push({
      kind: 'projection',
      problem: `${projection.length - MAX_PROJECTION_PROBLEMS} more audit_mints differences not listed`,
    });
  }
  if (chainBroken) problems.unshift(chainBroken);
  if (keyring.development) warnings.push('AUDIT_CHAIN_KEY is not set: verified under the public development key, which proves nothing');
  const legacy = await sql<{ n: number | string }>`select count(*) as n from audit_log_v1`.execute(handle.db).then(
    (r) => Number(r.rows[0]?.n ?? 0),
    () => 0,
  );
  if (legacy > 0) warnings.push(`audit_log_v1 holds ${legacy} entries from before the keyed chain: kept as they were, not verified`);

  const details = {
    rows,
    head,
    segments,
    checkpoints: { file, valid: checkpoints.length, matched, latest: latest && { seq: latest.seq, at: latest.at } },
    problems,
    warnings,
    ms: performance.now() - started,
    threads: 1 + workers,
  };
  if (problems.length === 0) return { ok: true, ...details };
  return { ok: false, ...details, seq: problems[0].seq ?? null, problem: problems[0].problem };
}

async function headAt(handle: DatabaseHandle, seq: number): Promise<{ seq: number; hash: string; keyId: string } | null> {
  const row = await handle.db.selectFrom('audit_log').select(['seq', 'hash', 'key_id']).where('seq', '=', seq).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash, keyId: row.key_id } : null;
}
