import { verifyAuditChain } from '@/lib/audit/verify';
/**
 * Audit suite for `npm run bench`, on a log of 1,000,000 rows:
 *  - lookups by fingerprint (a pasted token: HMAC, then `findMintByFingerprint`) and by userId
 *    (the history's userId filter: `listAuditRecords`, newest 50), on SQLite and PostgreSQL,
 *    through the console's own store functions, over a few hundred random existing targets;
 *  - the history page /audit with two filters (room + status, the URL the filter form pushes),
 *    signed in over next-auth's credentials flow, time to the full HTML response on loopback.
 *    On SQLite against the bench console; on PostgreSQL against a second console process started
 *    from the same build on a database schema of its own.
 *
 * prepare() fills the bench console's SQLite file (and, with a PostgreSQL URL, the schema
 * `bench_audit` of that database) before the console starts, both from one pass of generated rows.
 * Rows carry their real chain hashes (the canonical JSON written out key by key, checked against
 * lib/audit/chain.ts as it goes), so `npm run audit -- verify` accepts the log and the console's
 * own mints extend the same chain. The speed comes from the database side: secondary indexes
 * dropped and rebuilt once from their own definitions, one transaction; SQLite with 1,000-row
 * prepared inserts and no journal, PostgreSQL with COPY (FREEZE) overlapping the SQLite writes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { v7 } from 'uuid';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { finished } from 'node:stream/promises';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { canonicalJson, CHAINED_COLUMNS, entryHash, GENESIS_HASH, type ChainedFields } from '@/lib/audit/chain';
import { chainKeyring } from '@/lib/audit/keys';
import { fingerprintWithKey } from '@/lib/audit/fingerprint';
import { findMintByFingerprint, listAuditRecords } from '@/lib/audit/store';
import { createStaff } from '@/lib/auth/staff-store';
import { openDatabase, type AuditLogRow, type AuditMintRow, type DatabaseHandle } from '@/lib/db';
import { auditQueryString, HISTORY_PAGE_SIZE } from '@/lib/shared/audit/filter';
import { signIn, stopConsole, summarize, waitForConsole, type BenchContext, type BenchRow, type PrepareContext, type Suite } from '../lib';

export const AUDIT_ROWS = 1_000_000;
/** The PostgreSQL schema the suite owns (dropped and refilled by every prepare, dropped after run). */
export const PG_SCHEMA = 'bench_audit';
const LOOKUP_RUNS = 300;
const LOOKUP_WARMUP = 30;
const PAGE_RUNS = 60;
const LOOKUP_TARGET_MS = 5;
const PAGE_TARGET_MS = 100;
/**
 * Fingerprints of the seeded rows are HMACs under this key of `benchToken(seq)`, so the lookup can
 * start from a "pasted token" like the console does. The console's own FINGERPRINT_KEY differs:
 * a token minted by the console is never confused with a seeded row.
 */
const BENCH_FINGERPRINT_KEY = 'bench-audit-fingerprint-key (bench data only)';
const benchToken = (seq: number) => `AQICAHbench.${seq.toString(36)}.seeded-audit-row`;

// ---------------------------------------------------------------------------------------------
// The rows

const ACCOUNT = '123456789012';
/** Share of mints per seeded room (emulator/seed.json), by room id; the rest go to retired rooms. */
const ROOM_WEIGHTS: Record<string, number> = {
  MainStage001: 0.38,
  EuCommunity1: 0.2,
  QaLoadTest01: 0.14,
  QaSandbox001: 0.08,
  SupportRepr1: 0.06,
  EuStaging001: 0.06,
};

interface Room {
  arn: string;
  region: string;
}

/** The emulator's seeded rooms, as ARNs (the history's room filter matches these). */
export function seededRooms(root: string): Room[] {
  const seed = JSON.parse(readFileSync(path.join(root, 'emulator', 'seed.json'), 'utf8')) as { rooms: { id: string; region: string }[] };
  return seed.rooms.map((r) => ({ arn: `arn:aws:ivschat:${r.region}:${ACCOUNT}:room/${r.id}`, region: r.region }));
}

/** Rooms deleted since (history keeps their mints): 8% of the traffic over 24 rooms. */
const RETIRED_ROOMS: Room[] = Array.from({ length: 24 }, (_, i) => {
  const region = ['us-east-1', 'us-west-2', 'eu-west-1'][i % 3];
  return { arn: `arn:aws:ivschat:${region}:${ACCOUNT}:room/Retired${String(i).padStart(5, '0')}`, region };
});

interface Actor {
  id: string;
  email: string;
  role: string;
  via: 'ui' | 'api' | 'bulk' | 'cli';
  apiKeyName: string | null;
}

/** An entry id as the console writes it (UUIDv7 at the entry's time, lib/audit/store.ts). */
const entryId = (atMs: number) => v7({ msecs: atMs });

const uuidLike = (text: string) => {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const STAFF: (Omit<Actor, 'via' | 'apiKeyName'> & { weight: number })[] = [
  ['maria.lopez', 'support', 0.2],
  ['kenji.sato', 'support', 0.16],
  ['amara.okafor', 'support', 0.14],
  ['lukas.weber', 'support', 0.1],
  ['priya.nair', 'moderator', 0.12],
  ['tom.hughes', 'moderator', 0.08],
  ['sofia.rossi', 'qa', 0.08],
  ['daniel.kim', 'qa', 0.06],
  ['nina.berg', 'admin', 0.04],
  ['omar.haddad', 'admin', 0.02],
].map(([name, role, weight]) => ({ id: uuidLike(String(name)), email: `${name}@example.com`, role: String(role), weight: Number(weight) }));

const API_KEYS: Actor[] = [
  ['partner-backend', 'support'],
  ['game-server', 'moderator'],
  ['qa-automation', 'qa'],
].map(([name, role]) => ({ id: `apikey:${uuidLike(name)}`, email: `${name}@api-key`, role, via: 'api', apiKeyName: name }));

const CAPABILITY_SETS = [
  [0.7, canonicalJson(['SEND_MESSAGE'])],
  [0.1, canonicalJson([])],
  [0.08, canonicalJson(['SEND_MESSAGE', 'DELETE_MESSAGE'])],
  [0.12, canonicalJson(['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'])],
] as const;
const DURATIONS = [60, 60, 60, 60, 30, 120, 180, 15, 90, 60] as const;
const FAILURES = [
  [
    0.7,
    'ThrottlingException',
    'AWS is throttling CreateChatToken (more than the account quota of requests per second). Wait a moment and try again.',
  ],
  [0.12, 'ResourceNotFoundException', 'No such room in this region and account. It may have been deleted.'],
  [0.08, 'Timeout', 'IVS Chat did not answer in time. No token was issued; try again.'],
  [
    0.06,
    'AccessDeniedException',
    "AWS refused the request: the console's credentials are not allowed to create chat tokens for this room (AccessDeniedException). Check the IAM policy.",
  ],
  [0.04, 'InternalServerException', 'IVS Chat had an internal error (HTTP 500). No token was issued; try again shortly.'],
] as const;
const REASONS = [
  'viewer cannot send messages',
  'VIP guest for the stream',
  'moderator cover',
  'repro for a chat bug',
  'partner escalation',
  'token expired mid-event',
];
const USERS = 120_000;
const NAMES = ['streamfan', 'nightowl', 'pixelkat', 'rivermoss', 'codewolf', 'sunnyside', 'bytebard', 'glitchy'];

/** Deterministic PRNG (mulberry32), so two fills have the same shape. */
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

function weighted<T>(
  rand: () => number,
  items: readonly (readonly [number, ...unknown[]])[],
  pick: (item: (typeof items)[number]) => T,
): T {
  let r = rand();
  for (const item of items) {
    r -= item[0];
    if (r < 0) return pick(item);
  }
  return pick(items[items.length - 1]);
}

interface User {
  id: string;
  attrs: string;
  /** Both as JSON string literals, for the chain's canonical JSON. */
  idJson: string;
  attrsJson: string;
}

let userTable: User[] | undefined;
/** The userIds and their attributes; several id styles, as different integrations send them. */
function allUsers(): User[] {
  return (userTable ??= Array.from({ length: USERS }, (_, u) => {
    const style = u % 10;
    const id =
      style < 6
        ? `viewer-${100_000 + u}`
        : style < 8
          ? uuidLike(`user-${u}`)
          : style < 9
            ? `u_${(u * 7919 + 1_000_003).toString(36)}`
            : `${NAMES[u % NAMES.length]}_${u}`;
    const display = style < 8 ? `Viewer ${u}` : id;
    const attrs =
      u % 11 === 0 ? canonicalJson({ displayName: display, tier: 'vip' }) : u % 29 === 0 ? '{}' : canonicalJson({ displayName: display });
    return { id, attrs, idJson: JSON.stringify(id), attrsJson: JSON.stringify(attrs) };
  }));
}

export const AUDIT_COLUMNS = [...CHAINED_COLUMNS, 'prev_hash', 'hash'] as const satisfies readonly (keyof AuditLogRow)[];
export const MINT_COLUMNS = [
  'seq',
  'id',
  'at',
  'actor_id',
  'actor_email',
  'via',
  'batch_id',
  'room_arn',
  'user_id',
  'status',
  'completion_seq',
] as const satisfies readonly (keyof AuditMintRow)[];

/** Generated rows, column by column (AUDIT_COLUMNS / MINT_COLUMNS order): what both fills bind, without an object per row. */
export interface AuditChunk {
  length: number;
  columns: (string | number | null)[][];
  /** The audit_mints projection rows of the chunk's mint requests. */
  mints: { length: number; columns: (string | number | null)[][] };
}

export function chunkRow(chunk: AuditChunk, i: number): AuditLogRow {
  return Object.fromEntries(AUDIT_COLUMNS.map((c, ci) => [c, chunk.columns[ci][i]])) as unknown as AuditLogRow;
}

export interface GenerateOptions {
  /** Entries to write (a mint is two: its request and its completion). */
  rows: number;
  /** The chain to extend: the last entry's seq and hash (0 and the genesis hash on an empty log). */
  after: { seq: number; hash: string };
  /** The newest row's time; the rows span the ~6 months before it. */
  endAt: number;
  rooms: Room[];
}

const DAY = 86_400_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** Date#toISOString for the many timestamps of a fill, without a Date per call (the day's prefix is cached). */
function isoFormatter() {
  const days = new Map<number, string>();
  return (ms: number) => {
    const day = Math.floor(ms / DAY);
    let prefix = days.get(day);
    if (prefix === undefined) days.set(day, (prefix = new Date(day * DAY).toISOString().slice(0, 11)));
    let r = ms - day * DAY;
    const h = Math.floor(r / 3_600_000);
    r -= h * 3_600_000;
    const m = Math.floor(r / 60_000);
    r -= m * 60_000;
    const sec = Math.floor(r / 1000);
    return `${prefix}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(r - sec * 1000)}Z`;
  };
}

/**
 * Realistic traffic in seq order, in chunks: skewed rooms and users, staff and API keys, bulk runs,
 * each mint a request entry followed by its completion (96% issued / 3.5% failed; 0.5% left
 * pending), a few non-mint entries, a daily rhythm. Every entry carries its real keyed hash under
 * the console's chain key (lib/audit/chain.ts), so `npm run audit -- verify` accepts the log and
 * the console's own mints extend the same chain; the audit_mints projection rows come with them.
 */
export function* generateAuditRows(opts: GenerateOptions, chunkSize: number): Generator<AuditChunk> {
  const rand = prng(20_260_301);
  const iso = isoFormatter();
  const key = chainKeyring().current;
  const users = allUsers();
  const roomTable: [number, Room][] = [
    ...opts.rooms.map((r): [number, Room] => [ROOM_WEIGHTS[r.arn.slice(r.arn.lastIndexOf('/') + 1)] ?? 0.02, r]),
    ...RETIRED_ROOMS.map((r): [number, Room] => [0.08 / RETIRED_ROOMS.length, r]),
  ];
  const roomTotal = roomTable.reduce((a, [w]) => a + w, 0);
  const rooms = roomTable.map(([w, r]) => [w / roomTotal, r] as const);
  const staff = STAFF.map((s) => [s.weight, s] as const);
  const pickStaff = () => weighted(rand, staff, (x) => x[1] as (typeof STAFF)[number]);
  const span = 182 * DAY;
  const start = opts.endAt - span;
  let prev = opts.after.hash;
  let seq = opts.after.seq;
  let lastAt = start;
  let bulk: { left: number; actor: Actor; room: Room; caps: string; duration: number; reason: string; id: string } | null = null;
  const fresh = (): AuditChunk => ({
    length: 0,
    columns: AUDIT_COLUMNS.map(() => []),
    mints: { length: 0, columns: MINT_COLUMNS.map(() => []) },
  });
  let chunk = fresh();
  const push = (row: ChainedFields) => {
    const hash = entryHash(key.secret, prev, row);
    const cols = chunk.columns;
    for (let c = 0; c < CHAINED_COLUMNS.length; c++) cols[c].push(row[CHAINED_COLUMNS[c]]);
    cols[CHAINED_COLUMNS.length].push(prev);
    cols[CHAINED_COLUMNS.length + 1].push(hash);
    chunk.length += 1;
    prev = hash;
  };
  const end = opts.after.seq + opts.rows;
  while (seq < end) {
    const i = seq - opts.after.seq;
    // A daily rhythm: time runs evenly per row, warped within each day (monotonic: 1 + A cos > 0).
    const t = (i / opts.rows) * span;
    const day = Math.floor(t / DAY);
    const f = t / DAY - day;
    const warped = start + (day + f + (0.6 * Math.sin(2 * Math.PI * f)) / (2 * Math.PI)) * DAY;
    let at: number;
    let actor: Actor;
    let room: Room;
    let caps: string;
    let duration: number;
    let reason: string | null;
    let batchId: string | null = null;
    if (bulk) {
      // Bulk runs are paced at the account's 200 mints per second.
      at = lastAt + 5 + Math.floor(rand() * 3);
      ({ actor, room, caps, duration, reason } = bulk);
      batchId = bulk.id;
      if (--bulk.left === 0) bulk = null;
    } else {
      at = Math.max(Math.floor(warped), lastAt + 1);
      room = weighted(rand, rooms, (x) => x[1] as Room);
      caps = weighted(rand, CAPABILITY_SETS, (x) => x[1] as string);
      duration = DURATIONS[Math.floor(rand() * DURATIONS.length)];
      const r = rand();
      if (r < 0.0004) {
        const s = pickStaff();
        const size = 50 + Math.floor(rand() * 750);
        const event = ['watch party', 'launch event', 'creator AMA', 'load rehearsal'][Math.floor(rand() * 4)];
        actor = { id: s.id, email: s.email, role: s.role, via: 'bulk', apiKeyName: null };
        reason = `Bulk: ${event} (${size} viewers)`;
        batchId = randomUUID();
        bulk = { left: size - 1, actor, room, caps, duration, reason, id: batchId };
      } else if (r < 0.3) {
        actor = API_KEYS[Math.floor(rand() * rand() * API_KEYS.length)];
        reason = null;
      } else {
        const s = pickStaff();
        actor = { id: s.id, email: s.email, role: s.role, via: 'ui', apiKeyName: null };
        reason = rand() < 0.35 ? `SUP-${10_000 + Math.floor(rand() * 90_000)}: ${REASONS[Math.floor(rand() * REASONS.length)]}` : null;
      }
    }
    lastAt = at;
    const base = {
      actor_id: actor.id,
      actor_email: actor.email,
      actor_role: actor.role,
      via: actor.via,
      api_key_name: actor.apiKeyName,
      batch_id: batchId,
      ref_seq: null,
      fingerprint: null,
      token_expires_at: null,
      session_expires_at: null,
      request_id: null,
      error_code: null,
      error_message: null,
      key_id: key.id,
    };
    seq += 1;
    if (!batchId && rand() < 0.001) {
      // The occasional non-mint entry: a moderator disconnects a user, an admin adds one to the deny list.
      const s = pickStaff();
      const action = rand() < 0.7 ? 'user.disconnected' : 'denylist.added';
      const target = users[Math.floor(rand() * USERS)].id;
      push({
        ...base,
        actor_id: s.id,
        actor_email: s.email,
        actor_role: s.role,
        via: 'ui',
        api_key_name: null,
        seq,
        id: entryId(at),
        at: iso(at),
        action,
        room_arn: room.arn,
        region: room.region,
        user_id: target,
        attributes: null,
        capabilities: null,
        duration_minutes: null,
        reason: 'abusive messages',
        details: canonicalJson({
          resource: { type: action === 'user.disconnected' ? 'chat_user' : 'denylist', id: target, label: room.arn },
        }),
      });
    } else {
      // Users: a long tail with a few very active ones (index ~ USERS * r^2).
      const u = users[Math.floor(USERS * rand() * rand())];
      const requestSeq = seq;
      const requestId = entryId(at);
      const atIso = iso(at);
      push({
        ...base,
        seq,
        id: requestId,
        at: atIso,
        action: 'token.minted',
        room_arn: room.arn,
        region: room.region,
        user_id: u.id,
        attributes: u.attrs,
        capabilities: caps,
        duration_minutes: duration,
        reason,
        details: null,
      });
      const s = rand();
      let status = 'pending';
      let completionSeq: number | null = null;
      if (s < 0.995 && seq < end) {
        const completed = at + 40 + Math.floor(rand() * rand() * 600);
        seq += 1;
        completionSeq = seq;
        const completion = {
          ...base,
          seq,
          id: entryId(completed),
          at: iso(completed),
          room_arn: null,
          region: null,
          user_id: null,
          attributes: null,
          capabilities: null,
          duration_minutes: null,
          reason: null,
          details: null,
          ref_seq: requestSeq,
        };
        if (s < 0.96) {
          status = 'issued';
          push({
            ...completion,
            action: 'mint.issued',
            fingerprint: fingerprintWithKey(BENCH_FINGERPRINT_KEY, benchToken(requestSeq)),
            token_expires_at: iso(completed - 20 + 3_600_000),
            session_expires_at: iso(completed - 20 + duration * 60_000),
            request_id: randomUUID(),
          });
        } else {
          status = 'failed';
          const [errorCode, errorMessage] = weighted(rand, FAILURES, (x) => [x[1], x[2]] as [string, string]);
          push({ ...completion, action: 'mint.failed', error_code: errorCode, error_message: errorMessage });
        }
        lastAt = Math.max(lastAt, completed);
      }
      const m = chunk.mints;
      const values = [requestSeq, requestId, atIso, actor.id, actor.email, actor.via, batchId, room.arn, u.id, status, completionSeq];
      for (let c = 0; c < values.length; c++) m.columns[c].push(values[c]);
      m.length += 1;
    }
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = fresh();
    }
  }
  if (chunk.length) yield chunk;
}

// ---------------------------------------------------------------------------------------------
// Fills

type Log = (line: string) => void;
const seconds = (since: number) => (performance.now() - since) / 1000;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The bench console's SQLite file: migrations, then one transaction with the secondary indexes dropped and rebuilt. */
class SqliteFill {
  private readonly db: SqliteDatabase.Database;
  private readonly indexes: { name: string; sql: string }[];
  private readonly full: SqliteDatabase.Statement;
  private readonly fullMints: SqliteDatabase.Statement;
  private readonly params: unknown[] = [];
  static readonly PER = 1000; // 29 x 1000 bind variables, under SQLite's 32,766
  insertSeconds = 0;
  indexSeconds = 0;
  readonly after: { seq: number; hash: string };

  static async open(file: string): Promise<SqliteFill> {
    // The real migrations first: the console opens this file afterwards.
    const handle = await openDatabase({ kind: 'sqlite', path: file });
    await handle.close();
    return new SqliteFill(file);
  }

  private constructor(file: string) {
    this.db = new SqliteDatabase(file);
    const last = this.db.prepare('select seq, hash from audit_log order by seq desc limit 1').get() as
      { seq: number; hash: string } | undefined;
    this.after = last ?? { seq: 0, hash: GENESIS_HASH };
    // Bench data: no rollback journal and no fsync during the fill (a crash means refilling).
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -1048576');
    this.db.pragma('temp_store = MEMORY');
    // CREATE INDEX sorts with helper threads when allowed.
    this.db.pragma('threads = 2');
    this.indexes = this.db
      .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name in ('audit_log', 'audit_mints') and sql is not null`)
      .all() as { name: string; sql: string }[];
    this.full = this.db.prepare(SqliteFill.insertSql(SqliteFill.PER));
    this.fullMints = this.db.prepare(SqliteFill.insertSql(SqliteFill.PER, 'audit_mints'));
    this.db.exec('begin');
    for (const { name } of this.indexes) this.db.exec(`drop index "${name}"`);
  }

  private static insertSql(n: number, table: 'audit_log' | 'audit_mints' = 'audit_log') {
    const columns: readonly string[] = table === 'audit_log' ? AUDIT_COLUMNS : MINT_COLUMNS;
    const tuple = `(${columns.map(() => '?').join(',')})`;
    return `insert into ${table} (${columns.join(',')}) values ${Array(n).fill(tuple).join(',')}`;
  }

  /** The chunk's audit_mints rows. */
  insertMints(chunk: AuditChunk) {
    const t = performance.now();
    const cols = chunk.mints.columns;
    for (let from = 0; from < chunk.mints.length; from += SqliteFill.PER) {
      const to = Math.min(chunk.mints.length, from + SqliteFill.PER);
      const params: unknown[] = [];
      for (let r = from; r < to; r++) for (let c = 0; c < cols.length; c++) params.push(cols[c][r]);
      (to - from === SqliteFill.PER ? this.fullMints : this.db.prepare(SqliteFill.insertSql(to - from, 'audit_mints'))).run(params);
    }
    this.insertSeconds += seconds(t);
  }

  /** Rows [from, to) of the chunk. */
  insert(chunk: AuditChunk, from: number, to: number) {
    const t = performance.now();
    const params = this.params;
    const cols = chunk.columns;
    params.length = 0;
    for (let r = from; r < to; r++) for (let c = 0; c < cols.length; c++) params.push(cols[c][r]);
    (to - from === SqliteFill.PER ? this.full : this.db.prepare(SqliteFill.insertSql(to - from))).run(params);
    this.insertSeconds += seconds(t);
  }

  finish() {
    const t = performance.now();
    for (const { sql: create } of this.indexes) this.db.exec(create);
    this.db.exec('commit');
    this.db.pragma('journal_mode = WAL');
    this.indexSeconds = seconds(t);
  }

  close() {
    if (this.db.open) this.db.close();
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** COPY's text format: tab-separated, \N for null; backslash, tab and newlines escaped. */
function copyText(chunk: { length: number; columns: (string | number | null)[][] }): Buffer {
  const cols = chunk.columns;
  const lines: string[] = new Array(chunk.length);
  for (let r = 0; r < chunk.length; r++) {
    let line = '';
    for (let c = 0; c < cols.length; c++) {
      const v = cols[c][r];
      const text =
        v === null
          ? '\\N'
          : typeof v === 'number'
            ? String(v)
            : COPY_SPECIAL.test(v)
              ? v.replace(COPY_SPECIALS, (ch) => COPY_ESCAPES[ch])
              : v;
      line += c ? `\t${text}` : text;
    }
    lines[r] = line;
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

/** The schema `schema` of `url`, recreated and migrated; then one transaction: indexes dropped, COPY, indexes rebuilt. */
class PostgresFill {
  private indexes: { name: string; def: string }[] = [];
  private uniques: { name: string; def: string }[] = [];
  private pending: Promise<void> = Promise.resolve();
  waitSeconds = 0;
  indexSeconds = 0;
  vacuumSeconds = 0;
  after: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };

  private constructor(private readonly client: pg.Client) {}

  static async open(url: string, schema: string): Promise<PostgresFill> {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.query(`create schema "${schema}"`);
    } finally {
      await admin.end();
    }
    const handle = await openDatabase({ kind: 'postgres', url, schema, poolSize: 1 });
    await handle.close();
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    const fill = new PostgresFill(client);
    try {
      await fill.begin(schema);
    } catch (error) {
      await client.end();
      throw error;
    }
    return fill;
  }

  private async begin(schema: string) {
    const c = this.client;
    await c.query('begin');
    await c.query(`set local synchronous_commit = off`);
    await c.query(`set local maintenance_work_mem = '512MB'`);
    this.indexes = (
      await c.query<{ name: string; def: string }>(
        `select indexname as name, indexdef as def from pg_indexes
          where schemaname = $1 and tablename in ('audit_log', 'audit_mints')
            and indexname not in (select conname from pg_constraint where conrelid in ('audit_log'::regclass, 'audit_mints'::regclass))`,
        [schema],
      )
    ).rows;
    this.uniques = (
      await c.query<{ name: string; def: string }>(
        `select conname as name, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'audit_log'::regclass and contype = 'u'`,
      )
    ).rows;
    for (const { name } of this.indexes) await c.query(`drop index "${name}"`);
    for (const { name } of this.uniques) await c.query(`alter table audit_log drop constraint "${name}"`);
    const last = (await c.query<{ seq: string; hash: string }>('select seq, hash from audit_log order by seq desc limit 1')).rows[0];
    if (last) this.after = { seq: Number(last.seq), hash: last.hash };
    // An empty table truncated in this transaction can take COPY ... FREEZE: rows written
    // all-visible, so nothing rewrites them later for hint bits and index-only scans work at once.
    else {
      // The log refuses TRUNCATE by trigger; the bench owns this schema, and the log is empty.
      await c.query('alter table audit_log disable trigger audit_log_no_truncate');
      await c.query('truncate audit_log, audit_mints');
      await c.query('alter table audit_log enable trigger audit_log_no_truncate');
    }
  }

  /** Sends the chunk; the server copies it while the caller generates the next one. */
  async send(chunk: AuditChunk) {
    const t = performance.now();
    await this.pending;
    this.waitSeconds += seconds(t);
    const copy = this.client.query(
      copyFrom(`copy audit_log (${AUDIT_COLUMNS.join(',')}) from stdin${this.after.seq === 0 ? ' with (freeze)' : ''}`),
    );
    const mints = this.client.query(
      copyFrom(`copy audit_mints (${MINT_COLUMNS.join(',')}) from stdin${this.after.seq === 0 ? ' with (freeze)' : ''}`),
    );
    // 'finish' comes once the server has confirmed each COPY (pg-copy-streams delays it until then).
    this.pending = Promise.all([finished(copy), finished(mints)]).then(() => {});
    copy.end(copyText(chunk));
    mints.end(copyText(chunk.mints));
    this.pending.catch(() => {});
  }

  async finish() {
    const c = this.client;
    let t = performance.now();
    await this.pending;
    this.waitSeconds += seconds(t);
    t = performance.now();
    for (const { name, def } of this.uniques) await c.query(`alter table audit_log add constraint "${name}" ${def}`);
    for (const { def } of this.indexes) await c.query(def);
    await c.query('commit');
    this.indexSeconds = seconds(t);
    // What autovacuum does to a log that grew to this size: statistics and the visibility map.
    t = performance.now();
    await c.query('vacuum analyze audit_log');
    await c.query('vacuum analyze audit_mints');
    this.vacuumSeconds = seconds(t);
  }

  async close() {
    await this.client.query('rollback').catch(() => {});
    await this.client.end().catch(() => {});
  }
}

export interface FillResult {
  rows: number;
  /** Wall time of the whole fill (both databases when both were filled in one pass). */
  seconds: number;
  /** Generating rows and their chain hashes (JavaScript), within `seconds`. */
  generateSeconds: number;
  sqlite?: { insertSeconds: number; indexSeconds: number };
  postgres?: { waitSeconds: number; indexSeconds: number; vacuumSeconds: number };
}

export interface FillTargets {
  rows: number;
  root: string;
  /** The SQLite file to fill (its folder is created). */
  sqliteFile?: string;
  /** PostgreSQL: the schema is dropped and recreated. */
  postgres?: { url: string; schema: string };
  log?: Log;
}

/**
 * Fills one or both databases with the same generated rows in one pass: PostgreSQL copies a chunk
 * while this process writes it to SQLite and generates the next, so the two fills overlap on two
 * cores. (If the two logs do not end at the same row, they are filled one after the other.)
 */
export async function fillAuditLog(targets: FillTargets): Promise<FillResult> {
  const t0 = performance.now();
  const lite = targets.sqliteFile ? await SqliteFill.open(targets.sqliteFile) : undefined;
  let pgFill: PostgresFill | undefined;
  try {
    pgFill = targets.postgres ? await PostgresFill.open(targets.postgres.url, targets.postgres.schema) : undefined;
    if (lite && pgFill && (lite.after.seq !== pgFill.after.seq || lite.after.hash !== pgFill.after.hash)) {
      await pgFill.close();
      lite.close();
      const a = await fillAuditLog({ ...targets, postgres: undefined });
      const b = await fillAuditLog({ ...targets, sqliteFile: undefined });
      return {
        rows: targets.rows,
        seconds: seconds(t0),
        generateSeconds: a.generateSeconds + b.generateSeconds,
        sqlite: a.sqlite,
        postgres: b.postgres,
      };
    }
    const after = lite?.after ?? pgFill?.after ?? { seq: 0, hash: GENESIS_HASH };
    const endAt = Date.now() - 5 * 60_000;
    let generateSeconds = 0;
    let done = 0;
    const rows = generateAuditRows({ rows: targets.rows, after, endAt, rooms: seededRooms(targets.root) }, 10_000);
    for (;;) {
      const t = performance.now();
      const next = rows.next();
      generateSeconds += seconds(t);
      if (next.done) break;
      const chunk = next.value;
      await pgFill?.send(chunk);
      if (lite) {
        for (let from = 0; from < chunk.length; from += SqliteFill.PER) {
          lite.insert(chunk, from, Math.min(chunk.length, from + SqliteFill.PER));
          // Lets the socket take the next piece of the COPY payload.
          if (pgFill) await yieldToLoop();
        }
        lite.insertMints(chunk);
      }
      done += chunk.length;
      if (done % 200_000 === 0) targets.log?.(`  audit fill: ${done.toLocaleString('en-US')} rows, ${seconds(t0).toFixed(1)} s`);
    }
    // PostgreSQL rebuilds its indexes (server side) while SQLite rebuilds its own here.
    const pgDone = pgFill?.finish();
    pgDone?.catch(() => {});
    lite?.finish();
    await pgDone;
    return {
      rows: targets.rows,
      seconds: seconds(t0),
      generateSeconds,
      sqlite: lite && { insertSeconds: lite.insertSeconds, indexSeconds: lite.indexSeconds },
      postgres: pgFill && { waitSeconds: pgFill.waitSeconds, indexSeconds: pgFill.indexSeconds, vacuumSeconds: pgFill.vacuumSeconds },
    };
  } finally {
    lite?.close();
    await pgFill?.close();
  }
}

/** `url` with the search_path pinned to `schema`, for processes that only take DATABASE_URL. */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

// ---------------------------------------------------------------------------------------------
// Lookups through the store

export interface LookupFigures {
  fingerprint: number[];
  userId: number[];
  /** Mean rows returned by the userId lookup. */
  userRows: number;
  logRows: number;
}

async function randomTargets(handle: DatabaseHandle, count: number): Promise<{ seqs: number[]; userIds: string[]; logRows: number }> {
  const max = Number((await sql<{ n: number | null }>`select max(seq) as n from audit_log`.execute(handle.db)).rows[0]?.n ?? 0);
  const rand = prng(99);
  const wanted = Array.from({ length: count * 3 }, () => 1 + Math.floor(rand() * max));
  const rows = await handle.db
    .selectFrom('audit_log')
    .select(['seq', 'action', 'ref_seq', 'user_id', 'fingerprint'])
    .where('seq', 'in', wanted)
    .where('action', 'in', ['token.minted', 'mint.issued'])
    .execute();
  return {
    // Fingerprints of seeded mints only (mints by other suites are under the console's key); the
    // lookup finds the request entry, whose seq the seeded token encodes.
    seqs: rows
      .filter(
        (r) =>
          r.action === 'mint.issued' &&
          r.ref_seq !== null &&
          r.fingerprint === fingerprintWithKey(BENCH_FINGERPRINT_KEY, benchToken(r.ref_seq)),
      )
      .map((r) => r.ref_seq!)
      .slice(0, count),
    userIds: rows
      .filter((r) => r.action === 'token.minted')
      .map((r) => r.user_id)
      .filter((u): u is string => u !== null)
      .slice(0, count),
    logRows: max,
  };
}

/** The lookups as the console runs them: a pasted token's HMAC then `findMintByFingerprint`; the userId filter's page. */
export async function measureLookups(handle: DatabaseHandle, runs = LOOKUP_RUNS): Promise<LookupFigures> {
  const targets = await randomTargets(handle, runs);
  if (targets.seqs.length === 0 || targets.userIds.length === 0) throw new Error('the audit log holds no seeded mints to look up');
  const byFingerprint = async (i: number) => {
    const seq = targets.seqs[i % targets.seqs.length];
    const record = await findMintByFingerprint(fingerprintWithKey(BENCH_FINGERPRINT_KEY, benchToken(seq)), handle);
    if (record?.seq !== seq) throw new Error(`fingerprint lookup of seq ${seq} found ${record?.seq ?? 'nothing'}`);
  };
  let userRows = 0;
  const byUserId = async (i: number) => {
    const page = await listAuditRecords(
      { action: 'token.minted', userId: targets.userIds[i % targets.userIds.length] },
      { limit: HISTORY_PAGE_SIZE },
      handle,
    );
    if (page.rows.length === 0) throw new Error('userId lookup found nothing');
    return page.rows.length;
  };
  const timed = async (fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < LOOKUP_WARMUP; i++) await fn(runs + i);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const n = await fn(i);
      times.push(performance.now() - t);
      if (typeof n === 'number') userRows += n;
    }
    return times;
  };
  const fingerprint = await timed(byFingerprint);
  const userId = await timed(byUserId);
  return { fingerprint, userId, userRows: userRows / runs, logRows: targets.logRows };
}

export function lookupRows(db: 'SQLite' | 'PostgreSQL', f: LookupFigures): BenchRow[] {
  const size = f.logRows.toLocaleString('en-US');
  const row = (id: string, what: string, times: number[], notes: string): BenchRow => {
    const s = summarize(times);
    return {
      id,
      benchmark: `audit lookup by ${what}, ${size} rows (${db})`,
      unit: 'ms',
      median: s.median,
      p99: s.p99,
      samples: times.length,
      target: `p50 <= ${LOOKUP_TARGET_MS} ms`,
      met: s.median <= LOOKUP_TARGET_MS,
      notes,
    };
  };
  const key = db === 'SQLite' ? 'sqlite' : 'postgres';
  return [
    row(
      `audit-fingerprint-${key}`,
      'fingerprint',
      f.fingerprint,
      `HMAC of a pasted token + findMintByFingerprint, ${f.fingerprint.length} random seeded mints, in-process store call`,
    ),
    row(
      `audit-userid-${key}`,
      'userId',
      f.userId,
      `listAuditRecords({ action: 'token.minted', userId }, newest ${HISTORY_PAGE_SIZE}) as the history's userId filter, ${f.userId.length} userIds of random mints (${f.userRows.toFixed(1)} rows returned on average)`,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// The history page over HTTP

export interface PageFigures {
  times: number[];
  slowest: { path: string; median: number };
  /** p50 of each path. */
  medians: { path: string; median: number }[];
  rowsShown: number;
}

/**
 * GET /audit?room=..&status=.. (the URL the filter form pushes) as a document, to the last byte,
 * round-robin over the seeded rooms x statuses. The form's soft navigation fetches the same page's
 * RSC payload instead, which Next only serves with its router headers and cache-busting `_rsc`
 * parameter; the document is the full render of the same server component, so it is what is timed.
 */
export async function measureHistoryPage(
  consoleUrl: string,
  cookie: string,
  rooms: Room[],
  runs = PAGE_RUNS,
  paths = rooms.flatMap((r) =>
    (['issued', 'failed', 'pending'] as const).map((status) => `/audit?${auditQueryString({ room: r.arn, status })}`),
  ),
  consoleOutput?: () => string,
): Promise<PageFigures> {
  return timePages(
    consoleUrl,
    cookie,
    paths,
    runs,
    (p, body) => {
      const range = /([\d,]+)–([\d,]+) of (?:more than )?[\d,]+ mints?/.exec(body);
      if (!range && !body.includes('No mints match these filters.')) throw new Error(`GET ${p}: no history summary in the page`);
      return range ? Number(range[2].replace(/,/g, '')) - Number(range[1].replace(/,/g, '')) + 1 : 0;
    },
    consoleOutput,
  );
}
/**
 * Each path once to warm up, then `runs` GETs round-robin over `paths`, each timed to the response's
 * last byte; `rowsIn` checks a page and says how many rows it shows. A request that fails at the
 * socket says why (undici's "fetch failed" alone names no cause), with the console's output when given.
 */
export async function timePages(
  consoleUrl: string,
  cookie: string,
  paths: string[],
  runs: number,
  rowsIn: (path: string, body: string) => number,
  consoleOutput?: () => string,
): Promise<PageFigures> {
  let rowsShown = 0;
  const get = async (p: string) => {
    const t = performance.now();
    let res: Response;
    let body: string;
    try {
      res = await fetch(`${consoleUrl}${p}`, { redirect: 'manual', headers: { cookie } });
      body = await res.text();
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const output = consoleOutput?.().trim().split('\n').slice(-5).join(' | ');
      throw new Error(
        `GET ${p} after ${(performance.now() - t).toFixed(0)} ms: ${(err as Error).message} (${cause?.code ?? cause?.message ?? 'no cause'})${output ? `; console output: ${output}` : ''}`,
      );
    }
    const ms = performance.now() - t;
    if (res.status !== 200)
      throw new Error(`GET ${p} answered ${res.status}${res.headers.has('location') ? ` (to ${res.headers.get('location')})` : ''}`);
    rowsShown += rowsIn(p, body);
    return ms;
  };
  for (const p of paths) await get(p);
  rowsShown = 0;
  const times: number[] = [];
  const perPath = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const p = paths[i % paths.length];
    const ms = await get(p);
    times.push(ms);
    perPath.set(p, [...(perPath.get(p) ?? []), ms]);
  }
  const medians = [...perPath].map(([p, t]) => ({ path: p, median: summarize(t).median }));
  const slowest = [...medians].sort((a, b) => b.median - a.median)[0];
  return { times, slowest, medians, rowsShown: rowsShown / runs };
}

/** The issue's "in seconds", as a goal: 1,000,000 entries in 5 s of wall time. */
const VERIFY_TARGET_S = 5;

/** `npm run audit -- verify` as the CLI runs it (keyed chain, projection, no checkpoint file), once. */
export interface VerifyFigures {
  seconds: number;
  /** This process's CPU time (user + system) during the verify: what the machine's load does not inflate. */
  cpuSeconds: number;
  rows: number;
  ok: boolean;
  problem?: string;
  workers: number;
  /** The 1-minute load average when it finished: on a shared machine, wall time is this run's share of it. */
  load: number;
}

export async function measureVerify(handle: DatabaseHandle): Promise<VerifyFigures> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = await verifyAuditChain(handle, { checkpointFile: null });
  const used = process.cpuUsage(cpu);
  return {
    seconds: seconds(t),
    cpuSeconds: (used.user + used.system) / 1e6,
    rows: result.rows,
    ok: result.ok,
    problem: result.ok ? undefined : result.problem,
    workers: result.threads - 1,
    load: loadavg()[0],
  };
}

export function verifyRow(db: 'SQLite' | 'PostgreSQL', v: VerifyFigures): BenchRow {
  return {
    id: `audit-verify-${db === 'SQLite' ? 'sqlite' : 'postgres'}`,
    benchmark: `audit verify, ${v.rows.toLocaleString('en-US')} entries (${db})`,
    unit: 's',
    median: v.seconds,
    p99: v.seconds,
    samples: 1,
    target: `<= ${VERIFY_TARGET_S} s and OK`,
    met: v.ok && v.seconds <= VERIFY_TARGET_S,
    notes:
      `verifyAuditChain: every entry's HMAC under its key id, links, segments, one completion per request, the audit_mints projection ` +
      `recomputed; runs of 25,000 seqs shared by this thread and ${v.workers} worker thread(s); ${v.cpuSeconds.toFixed(1)} s of CPU over all ` +
      `threads (load average ${v.load.toFixed(1)} on ${cpus().length} cores while it ran); ${v.ok ? 'OK' : `FAILED: ${v.problem}`}`,
  };
}

/** A page-timing row: p50/p99 of one PageFigures against a p50 target in ms. */
function pageTimingRow(id: string, benchmark: string, f: PageFigures, targetMs: number, notes: string): BenchRow {
  const s = summarize(f.times);
  return {
    id,
    benchmark,
    unit: 'ms',
    median: s.median,
    p99: s.p99,
    samples: f.times.length,
    target: `p50 <= ${targetMs} ms`,
    met: s.median <= targetMs,
    notes,
  };
}

const dbId = (db: 'SQLite' | 'PostgreSQL') => (db === 'SQLite' ? 'sqlite' : 'postgres');

function pageRow(db: 'SQLite' | 'PostgreSQL', f: PageFigures, logRows: number, extra: string): BenchRow {
  return pageTimingRow(
    `audit-history-page-${dbId(db)}`,
    `history page, room + status, ${logRows.toLocaleString('en-US')} rows (${db})`,
    f,
    PAGE_TARGET_MS,
    `signed-in GET of the whole HTML document on loopback (server time), after one warm-up pass, round-robin over the ` +
      `seeded rooms x issued/failed/pending, ${f.rowsShown.toFixed(1)} rows shown on average; slowest filter p50 ` +
      `${f.slowest.median.toFixed(1)} ms (${decodeURIComponent(f.slowest.path)})${extra}`,
  );
}

/**
 * History's numbered pages (counted up to 10,000, like Activity's): no filter on pages 1, 2 and the
 * deepest (200), one room on page 20, and the rare sources api and connect-here.
 */
export function historyPagePaths(rooms: Room[]): string[] {
  const room = rooms[0].arn;
  return [
    '/audit',
    '/audit?page=2',
    '/audit?page=200',
    `/audit?${auditQueryString({ room }, { page: 20 })}`,
    `/audit?${auditQueryString({ source: 'api' })}`,
    `/audit?${auditQueryString({ source: 'connect-here' })}`,
  ];
}

function numberedRow(db: 'SQLite' | 'PostgreSQL', f: PageFigures, logRows: number, extra: string): BenchRow {
  return pageTimingRow(
    `audit-history-numbered-${dbId(db)}`,
    `history page, counted + numbered, ${logRows.toLocaleString('en-US')} rows (${db})`,
    f,
    PAGE_TARGET_MS,
    `signed-in GET of the whole HTML document on loopback, after one warm-up pass, round-robin over no filter (pages 1, 2 and 200), ` +
      `a room on page 20, source api, source connect-here; counts stop at 10,000; ${f.rowsShown.toFixed(1)} rows shown on average; ` +
      `slowest p50 ${f.slowest.median.toFixed(1)} ms (${decodeURIComponent(f.slowest.path)})${extra}`,
  );
}

// ---------------------------------------------------------------------------------------------
// The Activity page over HTTP

const ACTIVITY_TARGET_MS = 150;

/**
 * GET /activity (every kind of entry, counted up to 10,000, numbered pages) as a document, to the
 * last byte, round-robin over: no filter (page 1 and the deepest numbered page, 200), one room, one
 * room's issued mints (the audit_mints path), source api and source connect-here (rare), one action.
 */
export async function measureActivityPage(
  consoleUrl: string,
  cookie: string,
  rooms: Room[],
  runs = PAGE_RUNS,
  consoleOutput?: () => string,
): Promise<PageFigures> {
  const room = rooms[0].arn;
  const paths = [
    '/activity',
    '/activity?page=200',
    `/activity?${new URLSearchParams({ room })}`,
    `/activity?${new URLSearchParams({ room, action: 'mint.issued' })}`,
    '/activity?source=api',
    '/activity?source=connect-here',
    '/activity?action=token.minted&page=20',
  ];
  return timePages(
    consoleUrl,
    cookie,
    paths,
    runs,
    (p, body) => {
      const range = /([\d,]+)–([\d,]+) of (?:more than )?[\d,]+/.exec(body);
      if (!range && !body.includes('No entries match these filters.')) throw new Error(`GET ${p}: no activity summary in the page`);
      return range ? Number(range[2].replace(/,/g, '')) - Number(range[1].replace(/,/g, '')) + 1 : 0;
    },
    consoleOutput,
  );
}

function activityRow(db: 'SQLite' | 'PostgreSQL', f: PageFigures, logRows: number, extra: string): BenchRow {
  return pageTimingRow(
    `audit-activity-page-${dbId(db)}`,
    `Activity page, counted + numbered, ${logRows.toLocaleString('en-US')} entries (${db})`,
    f,
    ACTIVITY_TARGET_MS,
    `signed-in GET of the whole HTML document on loopback, after one warm-up pass, round-robin over no filter (pages 1 and 200), ` +
      `a room, a room's issued mints, source api, source connect-here, token.minted page 20; counts stop at 10,000 ` +
      `("of more than 10,000"); ${f.rowsShown.toFixed(1)} rows shown on average; p50 by page: ` +
      `${f.medians.map((m) => `${decodeURIComponent(m.path)} ${m.median.toFixed(1)} ms`).join(', ')}${extra}`,
  );
}

// ---------------------------------------------------------------------------------------------
// A second console on PostgreSQL

async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 20; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}..${from + 19}`);
}

async function startConsole(ctx: BenchContext, databaseUrl: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort(Number(new URL(ctx.consoleUrl).port) + 5);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(ctx.distDir, 'standalone', 'server.js')], {
    cwd: ctx.root,
    env: {
      ...ctx.consoleEnv,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: url,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  try {
    await waitForConsole(url, child, 60_000, () => output);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { url, child, output: () => output };
}

// ---------------------------------------------------------------------------------------------
// The suite

let fill: FillResult | Error | undefined;

export function fillSummary(f: FillResult): string {
  const parts = [`generate + chain hashes ${f.generateSeconds.toFixed(1)} s`];
  if (f.sqlite) parts.push(`SQLite insert ${f.sqlite.insertSeconds.toFixed(1)} s, index rebuild ${f.sqlite.indexSeconds.toFixed(1)} s`);
  if (f.postgres) {
    parts.push(
      `PostgreSQL COPY waits ${f.postgres.waitSeconds.toFixed(1)} s, index rebuild ${f.postgres.indexSeconds.toFixed(1)} s, vacuum analyze ${f.postgres.vacuumSeconds.toFixed(1)} s`,
    );
  }
  const both = f.sqlite && f.postgres ? 'SQLite and PostgreSQL in one pass' : f.sqlite ? 'SQLite' : 'PostgreSQL';
  return `fill of ${f.rows.toLocaleString('en-US')} rows (${both}): ${f.seconds.toFixed(1)} s (${parts.join('; ')})`;
}

export const suite: Suite = {
  name: 'audit',
  async prepare(ctx: PrepareContext) {
    const log: Log = (line) => process.stderr.write(`${line}\n`);
    const sqliteFile = path.join(ctx.dataDir, 'console.db');
    try {
      fill = await fillAuditLog({
        rows: AUDIT_ROWS,
        root: ctx.root,
        sqliteFile,
        postgres: ctx.pgUrl ? { url: ctx.pgUrl, schema: PG_SCHEMA } : undefined,
        log,
      });
    } catch (error) {
      if (!ctx.pgUrl) throw error;
      // Without PostgreSQL, the SQLite half still runs.
      log(`audit: the fill with PostgreSQL failed (${error instanceof Error ? error.message : String(error)}); filling SQLite alone`);
      await fillAuditLog({ rows: AUDIT_ROWS, root: ctx.root, sqliteFile, log });
      fill = error instanceof Error ? error : new Error(String(error));
      return;
    }
    log(`audit: ${fillSummary(fill)}`);
  },

  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const rooms = seededRooms(ctx.root);
    const fillNote =
      fill instanceof Error
        ? `; the fill with PostgreSQL failed (${fill.message}), SQLite was filled alone`
        : fill
          ? `; ${fillSummary(fill)}`
          : '';
    if (!rooms.some((r) => r.arn === ctx.roomArn)) {
      ctx.log(`audit: the console's first room ${ctx.roomArn} is not among the seeded ARNs the fill used (account ${ACCOUNT})`);
    }

    const lite = await openDatabase({ kind: 'sqlite', path: path.join(ctx.dataDir, 'console.db') });
    try {
      ctx.log('audit: lookups on SQLite');
      const figures = await measureLookups(lite);
      rows.push(...lookupRows('SQLite', figures));
      ctx.log('audit: verify on SQLite');
      rows.push(verifyRow('SQLite', await measureVerify(lite)));
      ctx.log('audit: history page on the bench console (SQLite)');
      const consoleLog = () => readFileSync(path.join(ctx.dataDir, 'console.log'), 'utf8').slice(-4000);
      const page = await measureHistoryPage(
        ctx.consoleUrl,
        await signIn(ctx.consoleUrl, ctx.staff),
        rooms,
        PAGE_RUNS,
        undefined,
        consoleLog,
      );
      rows.push(pageRow('SQLite', page, figures.logRows, fillNote));
      const numbered = await measureHistoryPage(
        ctx.consoleUrl,
        await signIn(ctx.consoleUrl, ctx.staff),
        rooms,
        PAGE_RUNS,
        historyPagePaths(rooms),
      );
      rows.push(numberedRow('SQLite', numbered, figures.logRows, ''));
      ctx.log('audit: Activity page on the bench console (SQLite)');
      const activity = await measureActivityPage(ctx.consoleUrl, await signIn(ctx.consoleUrl, ctx.staff), rooms, PAGE_RUNS, consoleLog);
      rows.push(activityRow('SQLite', activity, figures.logRows, ''));
    } finally {
      await lite.close();
    }

    if (!ctx.pgUrl) {
      rows.push({
        id: 'audit-postgres',
        benchmark: 'audit lookups and history page (PostgreSQL)',
        unit: 'ms',
        target: 'p50 <= 5 ms / 100 ms',
        met: null,
        notes: 'skipped: no PostgreSQL URL',
      });
      return rows;
    }
    if (!fill || fill instanceof Error || !fill.postgres) {
      rows.push({
        id: 'audit-postgres',
        benchmark: 'audit lookups and history page (PostgreSQL)',
        unit: 'ms',
        target: 'p50 <= 5 ms / 100 ms',
        met: false,
        notes: `not measured: the PostgreSQL fill ${fill instanceof Error ? `failed: ${fill.message}` : 'did not run (prepare was skipped)'}`,
      });
      return rows;
    }
    const pgHandle = await openDatabase({ kind: 'postgres', url: ctx.pgUrl, schema: PG_SCHEMA, poolSize: 2 });
    let child: ChildProcess | undefined;
    try {
      ctx.log('audit: lookups on PostgreSQL');
      const figures = await measureLookups(pgHandle);
      rows.push(...lookupRows('PostgreSQL', figures));
      ctx.log('audit: verify on PostgreSQL');
      rows.push(verifyRow('PostgreSQL', await measureVerify(pgHandle)));
      // The second console signs staff in against its own database.
      await createStaff({ email: ctx.staff.email, role: 'admin', password: ctx.staff.password }, undefined, pgHandle);
      ctx.log('audit: starting a console on PostgreSQL');
      const pgConsole = await startConsole(ctx, urlWithSchema(ctx.pgUrl, PG_SCHEMA));
      child = pgConsole.child;
      ctx.log(`audit: history page on ${pgConsole.url} (PostgreSQL)`);
      const page = await measureHistoryPage(
        pgConsole.url,
        await signIn(pgConsole.url, ctx.staff),
        rooms,
        PAGE_RUNS,
        undefined,
        pgConsole.output,
      );
      rows.push(pageRow('PostgreSQL', page, figures.logRows, `; a second console process from the same build on schema ${PG_SCHEMA}`));
      const numbered = await measureHistoryPage(
        pgConsole.url,
        await signIn(pgConsole.url, ctx.staff),
        rooms,
        PAGE_RUNS,
        historyPagePaths(rooms),
      );
      rows.push(numberedRow('PostgreSQL', numbered, figures.logRows, `; the same second console on schema ${PG_SCHEMA}`));
      ctx.log(`audit: Activity page on ${pgConsole.url} (PostgreSQL)`);
      const activity = await measureActivityPage(pgConsole.url, await signIn(pgConsole.url, ctx.staff), rooms, PAGE_RUNS, pgConsole.output);
      rows.push(activityRow('PostgreSQL', activity, figures.logRows, `; the same second console on schema ${PG_SCHEMA}`));
    } finally {
      if (child) await stopConsole(child);
      await pgHandle.close();
      // 1M rows are ~1 GB in PostgreSQL; the next prepare refills anyway.
      const admin = new pg.Client({ connectionString: ctx.pgUrl });
      await admin.connect();
      await admin.query(`drop schema if exists "${PG_SCHEMA}" cascade`).finally(() => admin.end());
    }
    return rows;
  },
};

export default suite;
