/**
 * Audit lookups on a large log: by fingerprint (token lookup), by userId, one filtered history
 * page (room + status, newest 50), against a baseline measured in the same run (fetch one record
 * by its unique id). Fills a fresh SQLite file (and PostgreSQL with --postgres, in a throwaway
 * schema of TEST_DATABASE_URL or DATABASE_URL) with realistic rows, then times the store's own
 * query functions. Prints medians and p99s, writes JSON to bench/results/.
 *
 *   node --conditions=react-server --import tsx bench/audit-lookup.ts [--rows 1000000] [--runs 300] [--postgres] [--keep]
 *
 * The fill writes rows with bulk inserts in large transactions rather than through
 * recordMintRequested (which takes the chain lock per row), but it computes every row's chain
 * hash and completion hash with the same functions, so `verifyAuditChain` accepts the result.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { completionHash, GENESIS_HASH, rowHash } from '@/lib/audit/chain';
import { findMintByFingerprint, getAuditRecord, listAuditRecords } from '@/lib/audit/store';
import { openDatabase, type AuditLogRow, type DatabaseHandle } from '@/lib/db';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ROWS = option('rows', 1_000_000);
const RUNS = option('runs', 300);
const WARMUP = 20;
const PG_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;

// A deterministic PRNG (mulberry32), so two runs fill the same log.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
const ROOMS = Array.from({ length: 300 }, (_, i) => {
  const region = REGIONS[i % REGIONS.length];
  return { region, arn: `arn:aws:ivschat:${region}:123456789012:room/Room${String(i).padStart(8, '0')}` };
});
const USERS = 200_000;
const ACTORS = Array.from({ length: 40 }, (_, i) => ({
  id: `staff-${i}`,
  email: `agent${i}@example.com`,
  role: ['support', 'moderator', 'qa', 'admin'][i % 4],
}));
const CAPS = [[], ['SEND_MESSAGE'], ['SEND_MESSAGE'], ['SEND_MESSAGE'], ['SEND_MESSAGE', 'DELETE_MESSAGE'], ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER']];
const FP_KEY = 'bench-fingerprint-key';
const START = Date.parse('2025-01-01T00:00:00Z');
const SPAN = 365 * 86_400_000;

type Row = AuditLogRow;

/** The rows, in seq order, with their chain hashes. Skewed like real traffic: some rooms and users are busy. */
function* generateRows(count: number): Generator<Row> {
  const rand = prng(42);
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const at = new Date(START + Math.floor((seq / count) * SPAN)).toISOString();
    const actor = ACTORS[Math.floor(rand() * ACTORS.length)];
    const id = uuidFrom(rand);
    const r = rand();
    const via = r < 0.7 ? 'ui' : r < 0.9 ? 'api' : 'bulk';
    if (rand() < 0.003) {
      const base = {
        seq, id, at, action: 'staff.created', actor_id: actor.id, actor_email: actor.email, actor_role: actor.role, via: 'cli',
        api_key_name: null, batch_id: null, room_arn: null, region: null, user_id: null, attributes: null, capabilities: null,
        duration_minutes: null, reason: null, details: `{"resource":{"id":"staff-${seq}","type":"staff"}}`,
      };
      const hash = rowHash(prev, base);
      yield { ...base, status: 'done', fingerprint: null, token_expires_at: null, session_expires_at: null, request_id: null, error_code: null, error_message: null, completed_at: null, prev_hash: prev, hash, completion_hash: null };
      prev = hash;
      continue;
    }
    const room = ROOMS[Math.floor(rand() ** 2 * ROOMS.length)];
    const user = Math.floor(rand() ** 3 * USERS);
    const duration = [15, 30, 60, 60, 60, 120, 180][Math.floor(rand() * 7)];
    const base = {
      seq, id, at, action: 'token.minted', actor_id: actor.id, actor_email: actor.email, actor_role: actor.role, via,
      api_key_name: via === 'api' ? 'partner-backend' : null,
      batch_id: via === 'bulk' ? `batch-${Math.floor(seq / 500)}` : null,
      room_arn: room.arn, region: room.region, user_id: `user-${user}`,
      attributes: `{"displayName":"Viewer ${user}","tier":"${user % 7 === 0 ? 'vip' : 'std'}"}`,
      capabilities: JSON.stringify(CAPS[Math.floor(rand() * CAPS.length)]),
      duration_minutes: duration,
      reason: rand() < 0.2 ? `Ticket SUP-${Math.floor(rand() * 90_000) + 10_000}` : null,
      details: null,
    };
    const hash = rowHash(prev, base);
    const s = rand();
    const status = s < 0.96 ? 'issued' : s < 0.99 ? 'failed' : 'pending';
    let completion: Pick<Row, 'status' | 'fingerprint' | 'token_expires_at' | 'session_expires_at' | 'request_id' | 'error_code' | 'error_message' | 'completed_at'>;
    const completedAt = new Date(Date.parse(at) + 150).toISOString();
    if (status === 'issued') {
      completion = {
        status, fingerprint: fingerprintOf(seq),
        token_expires_at: new Date(Date.parse(at) + 3_600_000).toISOString(),
        session_expires_at: new Date(Date.parse(at) + duration * 60_000).toISOString(),
        request_id: uuidFrom(rand), error_code: null, error_message: null, completed_at: completedAt,
      };
    } else if (status === 'failed') {
      completion = { status, fingerprint: null, token_expires_at: null, session_expires_at: null, request_id: null, error_code: 'ThrottlingException', error_message: 'Rate exceeded', completed_at: completedAt };
    } else {
      completion = { status, fingerprint: null, token_expires_at: null, session_expires_at: null, request_id: null, error_code: null, error_message: null, completed_at: null };
    }
    yield { ...base, ...completion, prev_hash: prev, hash, completion_hash: status === 'pending' ? null : completionHash(hash, completion) };
    prev = hash;
  }
}

function uuidFrom(rand: () => number): string {
  const h = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const fingerprintOf = (seq: number) => createHmac('sha256', FP_KEY).update(`bench-token-${seq}`).digest('hex');

const COLUMNS = [
  'seq', 'id', 'at', 'action', 'actor_id', 'actor_email', 'actor_role', 'via', 'api_key_name', 'batch_id', 'room_arn', 'region',
  'user_id', 'attributes', 'capabilities', 'duration_minutes', 'reason', 'details', 'status', 'fingerprint', 'token_expires_at',
  'session_expires_at', 'request_id', 'error_code', 'error_message', 'completed_at', 'prev_hash', 'hash', 'completion_hash',
] as const;

/** Targets for the timed queries, sampled while filling (so every lookup hits an existing row). */
interface Samples {
  ids: string[];
  fingerprints: string[];
  userIds: string[];
  rooms: string[];
}

function sampler(): { take(row: Row): void; samples: Samples } {
  const samples: Samples = { ids: [], fingerprints: [], userIds: [], rooms: ROOMS.map((r) => r.arn) };
  const rand = prng(7);
  return {
    samples,
    take(row) {
      if (rand() < 0.002) {
        samples.ids.push(row.id);
        if (row.fingerprint) samples.fingerprints.push(row.fingerprint);
        if (row.user_id) samples.userIds.push(row.user_id);
      }
    },
  };
}

async function fillSqlite(file: string, count: number): Promise<{ handle: DatabaseHandle; samples: Samples; seconds: number }> {
  const t0 = performance.now();
  const schema = await openDatabase({ kind: 'sqlite', path: file });
  await schema.close();
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288'); // 512 MB
  // Loading into random-key B-trees (fingerprint, id) is what makes a fill slow: drop the
  // migrations' indexes, load, then recreate them from their own stored definitions.
  const indexSql = db
    .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'audit_log' and sql is not null`)
    .all() as { name: string; sql: string }[];
  for (const { name } of indexSql) db.exec(`drop index "${name}"`);
  const insert = db.prepare(`insert into audit_log (${COLUMNS.join(',')}) values (${COLUMNS.map(() => '?').join(',')})`);
  const batch = db.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(...COLUMNS.map((c) => row[c]));
  });
  const { take, samples } = sampler();
  let rows: Row[] = [];
  for (const row of generateRows(count)) {
    take(row);
    rows.push(row);
    if (rows.length === 20_000) {
      batch(rows);
      rows = [];
      progress('sqlite', row.seq, count);
    }
  }
  if (rows.length) batch(rows);
  process.stderr.write(`\n  recreating ${indexSql.length} indexes`);
  for (const { sql: create } of indexSql) db.exec(create);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write('\n');
  return { handle: await openDatabase({ kind: 'sqlite', path: file }), samples, seconds };
}

async function fillPostgres(url: string, schema: string, count: number): Promise<{ handle: DatabaseHandle; samples: Samples; seconds: number }> {
  const t0 = performance.now();
  const handle = await openDatabase({ kind: 'postgres', url, schema, poolSize: 4 });
  const { take, samples } = sampler();
  let rows: Row[] = [];
  const flush = async () => {
    await handle.db.insertInto('audit_log').values(rows).execute();
    rows = [];
  };
  for (const row of generateRows(count)) {
    take(row);
    rows.push(row);
    // 29 columns x 2000 rows stays under PostgreSQL's 65535 bind parameters.
    if (rows.length === 2000) {
      await flush();
      progress('postgres', row.seq, count);
    }
  }
  if (rows.length) await flush();
  // seq is an identity column; rows were inserted with explicit values, so move it past them.
  await sql`select setval(pg_get_serial_sequence('audit_log', 'seq'), (select max(seq) from audit_log))`.execute(handle.db);
  await sql`analyze audit_log`.execute(handle.db);
  process.stderr.write('\n');
  return { handle, samples, seconds: (performance.now() - t0) / 1000 };
}

function progress(label: string, done: number, total: number) {
  process.stderr.write(`\r  filling ${label}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows`);
}

interface Measure {
  name: string;
  runs: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  rowsReturned: number;
}

async function measure(name: string, runs: number, fn: (i: number) => Promise<number>): Promise<Measure> {
  for (let i = 0; i < Math.min(WARMUP, runs); i++) await fn(i);
  const times: number[] = [];
  let rowsReturned = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    rowsReturned += await fn(i + WARMUP);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return {
    name,
    runs,
    medianMs: at(0.5),
    p99Ms: at(0.99),
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    rowsReturned: Math.round(rowsReturned / runs),
  };
}

async function runQueries(handle: DatabaseHandle, s: Samples): Promise<Measure[]> {
  const pick = <T>(list: T[], i: number) => list[(i * 7919) % list.length];
  const out: Measure[] = [];
  out.push(await measure('baseline: one record by id', RUNS, async (i) => ((await getAuditRecord(pick(s.ids, i), handle)) ? 1 : 0)));
  out.push(await measure('lookup by fingerprint', RUNS, async (i) => ((await findMintByFingerprint(pick(s.fingerprints, i), handle)) ? 1 : 0)));
  out.push(
    await measure('lookup by userId (newest 50)', RUNS, async (i) =>
      (await listAuditRecords({ action: 'token.minted', userId: pick(s.userIds, i) }, { limit: 50 }, handle)).rows.length,
    ),
  );
  out.push(
    await measure('history page: room + status=issued (newest 50)', RUNS, async (i) =>
      (await listAuditRecords({ action: 'token.minted', roomArn: pick(s.rooms, i), status: 'issued' }, { limit: 50 }, handle)).rows.length,
    ),
  );
  out.push(
    await measure('history page: room + status=failed (newest 50)', RUNS, async (i) =>
      (await listAuditRecords({ action: 'token.minted', roomArn: pick(s.rooms, i), status: 'failed' }, { limit: 50 }, handle)).rows.length,
    ),
  );
  out.push(
    await measure('history page: actor (email or id) (newest 50)', RUNS, async (i) =>
      (await listAuditRecords({ action: 'token.minted', actor: `agent${i % ACTORS.length}@example.com` }, { limit: 50 }, handle)).rows.length,
    ),
  );
  out.push(
    await measure('history page: one day (from/to) (newest 50)', RUNS, async (i) => {
      const day = new Date(START + (i % 365) * 86_400_000);
      const to = new Date(day.getTime() + 86_400_000 - 1);
      return (await listAuditRecords({ action: 'token.minted', from: day, to }, { limit: 50 }, handle)).rows.length;
    }),
  );
  out.push(
    await measure('history page: unfiltered, 10th page via cursor', RUNS, async () => {
      let before: number | undefined;
      let page = { rows: [] as unknown[], nextBefore: null as number | null };
      for (let p = 0; p < 10; p++) {
        page = await listAuditRecords({ action: 'token.minted' }, { limit: 50, before }, handle);
        before = page.nextBefore ?? undefined;
      }
      return page.rows.length;
    }),
  );
  // Free-text search has no index (a substring match); shown for scale, with fewer runs.
  out.push(
    await measure('free-text q (no index; 20 runs)', 20, async (i) =>
      (await listAuditRecords({ action: 'token.minted', q: `sup-${10_000 + ((i * 37) % 90_000)}` }, { limit: 50 }, handle)).rows.length,
    ),
  );
  return out;
}

function printTable(title: string, results: Measure[]) {
  const base = results[0].medianMs;
  console.log(`\n${title}`);
  console.log(`${'query'.padEnd(50)} ${'median ms'.padStart(10)} ${'p99 ms'.padStart(10)} ${'x baseline'.padStart(11)} ${'rows'.padStart(5)}`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(50)} ${r.medianMs.toFixed(3).padStart(10)} ${r.p99Ms.toFixed(3).padStart(10)} ${(r.medianMs / base).toFixed(1).padStart(11)} ${String(r.rowsReturned).padStart(5)}`,
    );
  }
}

async function main() {
  const report: Record<string, unknown> = { rows: ROWS, runs: RUNS, node: process.version, at: new Date().toISOString() };
  const dir = path.join(tmpdir(), `audit-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'bench.db');
  console.log(`Filling ${ROWS.toLocaleString('en-US')} audit rows into ${file}`);
  const lite = await fillSqlite(file, ROWS);
  console.log(`SQLite fill: ${lite.seconds.toFixed(1)} s`);
  const liteResults = await runQueries(lite.handle, lite.samples);
  printTable(`SQLite, ${ROWS.toLocaleString('en-US')} rows`, liteResults);
  report.sqlite = { fillSeconds: lite.seconds, results: liteResults };
  await lite.handle.close();
  if (!flag('keep')) rmSync(dir, { recursive: true, force: true });

  if (flag('postgres')) {
    if (!PG_URL) throw new Error('--postgres needs TEST_DATABASE_URL (or DATABASE_URL)');
    const schema = `bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    try {
      const pgFill = await fillPostgres(PG_URL, schema, ROWS);
      console.log(`\nPostgreSQL fill: ${pgFill.seconds.toFixed(1)} s (schema ${schema})`);
      const pgResults = await runQueries(pgFill.handle, pgFill.samples);
      printTable(`PostgreSQL, ${ROWS.toLocaleString('en-US')} rows`, pgResults);
      report.postgres = { fillSeconds: pgFill.seconds, results: pgResults };
      await pgFill.handle.close();
    } finally {
      if (!flag('keep')) await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
  }

  const resultsDir = path.join(import.meta.dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `audit-lookup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
