import 'server-only';
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { CHAIN_FORMAT, CHAINED_COLUMNS, checkShape, isCompletion, MINT_REQUEST, type ChainedFields } from './chain';

/**
 * The hot loop of `verify` (lib/audit/verify.ts) over one run of seqs: every entry's HMAC under its
 * key id, the links inside the run, shapes, checkpoints and the audit_mints rows of the run. What
 * needs the whole log (links across runs, one completion per request, the projection's statuses)
 * comes back as compact arrays for verify.ts to join. Runs on the main thread or in a worker
 * (verify-worker.mjs), so it imports nothing that needs the console's configuration.
 *
 * Rows are read as arrays (SQLite `.raw()`, PostgreSQL rowMode 'array') of a few columns: the
 * database writes each entry's chained text (chainedText in chain.ts: a JSON array, which SQLite's
 * json_array and PostgreSQL's to_json spell byte for byte as JSON.stringify does; verify.test.ts
 * holds the awkward characters), null/empty flags for the shape check, and which audit_mints
 * columns differ. Reading every column as a JavaScript string was half of verify's time.
 *
 * Trust: the HMAC covers the text the database returns, so an entry whose stored values were
 * changed fails whoever spells the text. Only someone who can change what the database engine
 * returns for a query could show verify other rows than the console reads, and they could do that
 * to any verifier that reads through SQL. PostgreSQL functions are named in pg_catalog, so a
 * function of the same name in another schema is never used.
 */

/** Where a worker opens its own connection. */
export type ChainSource = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

export interface ChunkInput {
  /** Seqs in (lo, hi]. */
  lo: number;
  hi: number;
  /** Checkpoints whose seq is in the run. */
  checkpoints: { seq: number; hash: string; at: string }[];
}

export const KIND = { absent: 0, other: 1, request: 2, issued: 3, failed: 4 } as const;
/** What audit_mints says about a request. */
export const PROJ = { none: 0, pending: 1, issued: 2, failed: 3, odd: 4 } as const;

export interface ChunkResult {
  lo: number;
  hi: number;
  /** The run's first and last entries (as read, whatever their seq). */
  first: { seq: number; prevHash: string } | null;
  last: { seq: number; hash: string; keyId: string } | null;
  /** The first problem inside the run; `prevSeq` is the entry before it in the run (null: it is the run's first). */
  broken: { seq: number; problem: string; prevSeq: number | null } | null;
  /** Runs of entries under one key id, up to the break. */
  segments: { keyId: string; fromSeq: number; toSeq: number }[];
  /** By seq - lo - 1: KIND, ref_seq of completions, PROJ of requests and the completion seq audit_mints names. */
  kinds: Uint8Array;
  refs: Float64Array;
  proj: Uint8Array;
  projCompletion: Float64Array;
  projectionProblems: { seq: number; problem: string }[];
  checkpoints: { seq: number; at: string; matched: boolean }[];
}

/** checkShape's columns, read as flags: null, empty or not. */
const SHAPE_COLUMNS = [
  'room_arn',
  'region',
  'user_id',
  'attributes',
  'capabilities',
  'duration_minutes',
  'fingerprint',
  'token_expires_at',
  'session_expires_at',
  'request_id',
  'error_code',
  'error_message',
] as const satisfies readonly (typeof CHAINED_COLUMNS)[number][];
const INTEGER_COLUMNS = new Set<string>(['seq', 'duration_minutes', 'ref_seq']);
/** The audit_mints columns that must equal the request entry's. */
const COMPARED = ['id', 'at', 'actor_id', 'actor_email', 'via', 'batch_id', 'room_arn', 'user_id'] as const;

// Positions in a row as the entries query returns it.
const SEQ = 0;
const ACTION = 1;
const REF_SEQ = 2;
const KEY_ID = 3;
const PREV_HASH = 4;
const HASH = 5;
const TEXT = 6;
const NOT_NULL = 7;
const NOT_EMPTY = 8;
const M_SEQ = 9;
const M_DIFFERS = 10;
const M_STATUS = 11;
const M_COMPLETION = 12;

type Dialect = 'sqlite' | 'postgres';
const bits = (d: Dialect, terms: string[]) => terms.map((t, i) => `(${d === 'postgres' ? `(${t})::int` : `(${t})`} << ${i})`).join(' | ');

/** The chained text of each entry, spelled by the database as chainedText spells it in JavaScript. */
function chainedTextSql(d: Dialect): string {
  if (d === 'sqlite') return `json_array('${CHAIN_FORMAT}', ${CHAINED_COLUMNS.map((c) => `e.${c}`).join(', ')})`;
  const parts = CHAINED_COLUMNS.map((c) =>
    INTEGER_COLUMNS.has(c) ? `coalesce((e.${c})::text, 'null')` : `coalesce(pg_catalog.to_json(e.${c})::text, 'null')`,
  );
  return `'["${CHAIN_FORMAT}",' || pg_catalog.concat_ws(',', ${parts.join(', ')}) || ']'`;
}

export function entriesSql(d: Dialect): string {
  const p = (n: number) => (d === 'postgres' ? `$${n}` : '?');
  const distinct = (c: string) => (d === 'postgres' ? `m.${c} is distinct from e.${c}` : `m.${c} is not e.${c}`);
  return (
    `select e.seq, e.action, e.ref_seq, e.key_id, e.prev_hash, e.hash, ${chainedTextSql(d)}, ` +
    `${bits(
      d,
      SHAPE_COLUMNS.map((c) => `e.${c} is not null`),
    )}, ` +
    `${bits(
      d,
      SHAPE_COLUMNS.map((c) => (INTEGER_COLUMNS.has(c) ? `e.${c} is not null` : `coalesce(e.${c}, '') <> ''`)),
    )}, ` +
    `m.seq, ${bits(d, COMPARED.map(distinct))}, m.status, m.completion_seq ` +
    `from audit_log e left join audit_mints m on m.seq = e.seq and e.action = '${MINT_REQUEST}' ` +
    `where e.seq > ${p(1)} and e.seq <= ${p(2)} order by e.seq`
  );
}

export function mintSeqsSql(d: Dialect): string {
  const p = (n: number) => (d === 'postgres' ? `$${n}` : '?');
  return `select seq from audit_mints where seq > ${p(1)} and seq <= ${p(2)} order by seq`;
}

type Row = unknown[];

/** A ChainedFields stand-in built from the flags, for checkShape, reused for every row. */
function shapeView(): { view: ChainedFields; set(r: Row): void } {
  const view = {} as Record<string, unknown>;
  return {
    view: view as unknown as ChainedFields,
    set(r) {
      view.seq = r[SEQ];
      view.action = r[ACTION];
      view.ref_seq = r[REF_SEQ];
      const notNull = r[NOT_NULL] as number;
      const notEmpty = r[NOT_EMPTY] as number;
      for (let i = 0; i < SHAPE_COLUMNS.length; i++) {
        view[SHAPE_COLUMNS[i]] = notNull & (1 << i) ? (notEmpty & (1 << i) ? 'x' : '') : null;
      }
    },
  };
}

/** Message texts shared with verify.ts, which checks the first entry of a run against the run before. */
export function linkProblem(prev: { seq: number; hash: string } | null, seq: number, prevHash: string): string | null {
  const expectedSeq = prev ? prev.seq + 1 : 1;
  if (seq !== expectedSeq) {
    return prev
      ? `seq ${seq} follows seq ${prev.seq}: entries are missing or reordered`
      : `the first entry has seq ${seq}, not 1: earlier entries are missing`;
  }
  if (prevHash !== (prev ? prev.hash : '0'.repeat(64))) {
    return prev
      ? `prev_hash does not match the hash of seq ${prev.seq}: an entry was deleted, inserted or reordered`
      : 'the first entry does not start the chain: earlier entries are missing';
  }
  return null;
}

export class ChunkVerifier {
  private readonly keys: Map<string, KeyObject>;

  constructor(keys: readonly (readonly [id: string, secret: string])[]) {
    this.keys = new Map(keys.map(([id, secret]) => [id, createSecretKey(Buffer.from(secret, 'utf8'))]));
  }

  /** Checks the entries and audit_mints rows of one run; both iterables in seq order. */
  verify(input: ChunkInput, entries: Iterable<Row>, mints: Iterable<Row>): ChunkResult {
    const { lo, hi } = input;
    const size = hi - lo;
    const kinds = new Uint8Array(size);
    const refs = new Float64Array(size);
    const proj = new Uint8Array(size);
    const projCompletion = new Float64Array(size);
    const projectionProblems: ChunkResult['projectionProblems'] = [];
    const checkpointResults: ChunkResult['checkpoints'] = [];
    const wanted = new Map<number, { hash: string; at: string }[]>();
    for (const c of input.checkpoints) wanted.set(c.seq, [...(wanted.get(c.seq) ?? []), c]);
    const segments: ChunkResult['segments'] = [];
    const usedKeys = new Set<string>();
    const { view, set } = shapeView();
    const mintRows = mints[Symbol.iterator]();
    let m = mintRows.next();

    let first: ChunkResult['first'] = null;
    let prev: { seq: number; hash: string } | null = null;
    let last: ChunkResult['last'] = null;
    let broken: ChunkResult['broken'] = null;

    for (const r of entries) {
      const seq = r[SEQ] as number;
      const prevHash = r[PREV_HASH] as string;
      const hash = r[HASH] as string;
      const keyId = r[KEY_ID] as string;
      const fail = (problem: string) => (broken = { seq, problem, prevSeq: prev ? prev.seq : null });
      if (!first) first = { seq, prevHash };
      else {
        const link = linkProblem(prev, seq, prevHash);
        if (link) {
          fail(link);
          break;
        }
      }
      const key = this.keys.get(keyId);
      if (!key) {
        fail(`hashed under key id ${keyId}, which is not in the keyring (AUDIT_CHAIN_KEY, AUDIT_CHAIN_PREVIOUS_KEYS)`);
        break;
      }
      const segment = segments.at(-1);
      if (!segment || segment.keyId !== keyId) {
        if (usedKeys.has(keyId)) {
          fail(`key id ${keyId} returns after a newer key took over: a retired key was used to write`);
          break;
        }
        usedKeys.add(keyId);
        segments.push({ keyId, fromSeq: seq, toSeq: seq });
      } else segment.toSeq = seq;
      if (
        createHmac('sha256', key)
          .update(prevHash + (r[TEXT] as string), 'utf8')
          .digest('hex') !== hash
      ) {
        fail('hash mismatch: the entry was edited, or written without the chain key');
        break;
      }
      set(r);
      const shape = checkShape(view);
      if (shape) {
        fail(shape);
        break;
      }
      const checkpoints = wanted.get(seq);
      if (checkpoints) for (const c of checkpoints) checkpointResults.push({ seq, at: c.at, matched: c.hash === hash });

      const i = seq - lo - 1;
      const action = r[ACTION] as string;
      if (action === MINT_REQUEST) {
        kinds[i] = KIND.request;
        // The projection row for this request, in step (both in seq order).
        while (!m.done && (m.value[0] as number) < seq) {
          projectionProblems.push({
            seq: m.value[0] as number,
            problem: `audit_mints has a row for seq ${m.value[0]}, which is not a mint request`,
          });
          m = mintRows.next();
        }
        if (m.done || m.value[0] !== seq || r[M_SEQ] === null) {
          projectionProblems.push({ seq, problem: `audit_mints has no row for the mint request seq ${seq}` });
          if (!m.done && m.value[0] === seq) m = mintRows.next();
        } else {
          m = mintRows.next();
          const differs = r[M_DIFFERS] as number;
          if (differs) {
            const names = COMPARED.filter((_, b) => differs & (1 << b));
            projectionProblems.push({ seq, problem: `audit_mints seq ${seq} differs from its entry in ${names.join(', ')}` });
          }
          const status = r[M_STATUS];
          const completion = r[M_COMPLETION] as number | null;
          if (status === 'pending' && completion === null) proj[i] = PROJ.pending;
          else if ((status === 'issued' || status === 'failed') && completion !== null) {
            proj[i] = status === 'issued' ? PROJ.issued : PROJ.failed;
            projCompletion[i] = Number(completion);
          } else {
            proj[i] = PROJ.odd;
            projectionProblems.push({
              seq,
              problem: `audit_mints seq ${seq} has status '${String(status)}' with completion ${completion}`,
            });
          }
        }
      } else if (isCompletion(action)) {
        kinds[i] = action === 'mint.issued' ? KIND.issued : KIND.failed;
        refs[i] = r[REF_SEQ] as number;
      } else kinds[i] = KIND.other;
      prev = { seq, hash };
      last = { seq, hash, keyId };
    }
    if (!broken) {
      // audit_mints rows after the run's last request: not mint requests.
      for (; !m.done; m = mintRows.next()) {
        projectionProblems.push({
          seq: m.value[0] as number,
          problem: `audit_mints has a row for seq ${m.value[0]}, which is not a mint request`,
        });
      }
    }
    return { lo, hi, first, last, broken, segments, kinds, refs, proj, projCompletion, projectionProblems, checkpoints: checkpointResults };
  }
}

/** Reads a run from SQLite (synchronously: the connection may be shared with Kysely, which then waits). */
export function sqliteRun(db: SqliteDatabase.Database): (lo: number, hi: number) => { entries: Iterable<Row>; mints: Row[] } {
  const entries = db.prepare(entriesSql('sqlite')).raw(true);
  const mints = db.prepare(mintSeqsSql('sqlite')).raw(true);
  // The projection's seqs first (a run's fit in memory), then the entries streamed.
  return (lo, hi) => ({ mints: mints.all(lo, hi) as Row[], entries: entries.iterate(lo, hi) as Iterable<Row> });
}

/** Reads a run from PostgreSQL on one client. */
export function postgresRun(client: pg.ClientBase): (lo: number, hi: number) => Promise<{ entries: Row[]; mints: Row[] }> {
  const entries = entriesSql('postgres');
  const mints = mintSeqsSql('postgres');
  // int8 and int4 as numbers (seqs stay far below 2^53), everything else as the server's text.
  const types = {
    getTypeParser: (oid: number) => (oid === 20 || oid === 23 ? Number : (v: string) => v),
  } as unknown as pg.CustomTypesConfig;
  return async (lo, hi) => {
    const m = await client.query<Row>({ text: mints, values: [lo, hi], rowMode: 'array', types });
    const e = await client.query<Row>({ text: entries, values: [lo, hi], rowMode: 'array', types });
    return { entries: e.rows, mints: m.rows };
  };
}
