import 'server-only';
import { randomUUID } from 'node:crypto';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { getDatabase, withWriteTransaction, type AuditLogRow, type DatabaseHandle, type DB, type NewAuditLogRow } from '@/lib/db';
import { canonicalJson, checkRow, completionHash, GENESIS_HASH, rowHash, type CompletionFields } from './chain';
import type { AuditAction, AuditActor, AuditFilter, AuditPage, AuditRecord, AuditStatus, VerifyResult, Via } from './types';
import { VIAS } from './types';

export * from './types';

export interface MintRequest {
  actor: AuditActor;
  roomArn: string;
  region: string;
  userId: string;
  attributes: Record<string, string>;
  capabilities: string[];
  durationMinutes: number;
  reason?: string | null;
  batchId?: string | null;
}

export interface ActionInput {
  actor: AuditActor;
  action: Exclude<AuditAction, 'token.minted'>;
  /** Plain JSON data, usually an `AuditChange`. Never a secret. */
  details: unknown;
  reason?: string | null;
  /**
   * The chat user and room the action was about, so the Activity view and a record's page can find
   * it by userId and room (a disconnect, a deny-list entry, a refused mint). Null room: every room.
   */
  subject?: { userId?: string | null; roomArn?: string | null; region?: string | null; batchId?: string | null };
}

/** Thrown when a completion is refused: the record is unknown or no longer pending. */
export class AuditStateError extends Error {
  override name = 'AuditStateError';
}

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());

function actorColumns(actor: AuditActor) {
  if (!VIAS.includes(actor.via)) throw new TypeError(`Invalid audit via: ${String(actor.via)}`);
  if (!actor.staffId || !actor.email || !actor.role) throw new TypeError('Audit actor needs staffId, email and role');
  return {
    actor_id: actor.staffId,
    actor_email: actor.email.toLowerCase(),
    actor_role: actor.role,
    via: actor.via,
    api_key_name: actor.apiKeyName ?? null,
  };
}

type ChainInput = Omit<NewAuditLogRow, 'seq' | 'at' | 'prev_hash' | 'hash'>;

/**
 * Appends one row to the chain. The caller must hold the write lock (`withWriteTransaction`),
 * which makes "read the last row, insert the next" atomic across processes.
 */
async function appendRow(trx: Kysely<DB>, input: ChainInput): Promise<{ id: string; seq: number }> {
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row = {
    api_key_name: null,
    batch_id: null,
    room_arn: null,
    region: null,
    user_id: null,
    attributes: null,
    capabilities: null,
    duration_minutes: null,
    reason: null,
    details: null,
    ...input,
    seq: (last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = rowHash(row.prev_hash, row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  return { id: row.id, seq: row.seq };
}

/**
 * Writes the 'pending' row that must exist before CreateChatToken is called. Rejects when the
 * store cannot write; the caller then mints nothing (fail closed).
 */
export async function recordMintRequested(input: MintRequest, db?: DatabaseHandle): Promise<{ id: string; seq: number }> {
  const handle = await handleOf(db);
  const row: ChainInput = {
    id: randomUUID(),
    action: 'token.minted',
    ...actorColumns(input.actor),
    batch_id: input.batchId ?? null,
    room_arn: input.roomArn,
    region: input.region,
    user_id: input.userId,
    attributes: canonicalJson(input.attributes ?? {}),
    capabilities: canonicalJson(input.capabilities ?? []),
    duration_minutes: input.durationMinutes,
    reason: input.reason ?? null,
    status: 'pending',
  };
  return withWriteTransaction(handle, (trx) => appendRow(trx, row));
}

async function complete(handle: DatabaseHandle, id: string, fields: CompletionFields): Promise<void> {
  const row = await handle.db.selectFrom('audit_log').select(['hash', 'status', 'action']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AuditStateError(`Audit record ${id} does not exist`);
  if (row.action !== 'token.minted' || row.status !== 'pending') {
    throw new AuditStateError(`Audit record ${id} is ${row.status}, not pending; it can be completed only once`);
  }
  const result = await handle.db
    .updateTable('audit_log')
    .set({ ...fields, completion_hash: completionHash(row.hash, fields) })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) {
    throw new AuditStateError(`Audit record ${id} was completed by someone else; it can be completed only once`);
  }
}

const iso = (d: Date, name: string) => {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`${name} must be a valid Date`);
  return d.toISOString();
};

export async function recordMintIssued(
  id: string,
  r: { fingerprint: string; tokenExpiresAt: Date; sessionExpiresAt: Date; requestId?: string | null },
  db?: DatabaseHandle,
): Promise<void> {
  await complete(await handleOf(db), id, {
    status: 'issued',
    fingerprint: r.fingerprint,
    token_expires_at: iso(r.tokenExpiresAt, 'tokenExpiresAt'),
    session_expires_at: iso(r.sessionExpiresAt, 'sessionExpiresAt'),
    request_id: r.requestId ?? null,
    error_code: null,
    error_message: null,
    completed_at: new Date().toISOString(),
  });
}

export async function recordMintFailed(id: string, r: { errorCode: string; errorMessage: string }, db?: DatabaseHandle): Promise<void> {
  await complete(await handleOf(db), id, {
    status: 'failed',
    fingerprint: null,
    token_expires_at: null,
    session_expires_at: null,
    request_id: null,
    error_code: r.errorCode,
    error_message: r.errorMessage,
    completed_at: new Date().toISOString(),
  });
}

/**
 * Appends a non-mint entry (status 'done') inside a transaction the caller already holds with
 * `withWriteTransaction`, so the change and its audit entry commit together.
 */
export async function appendAction(trx: Kysely<DB>, input: ActionInput): Promise<{ id: string }> {
  if ((input.action as string) === 'token.minted') throw new TypeError('Mints are recorded with recordMintRequested');
  const { id } = await appendRow(trx, {
    id: randomUUID(),
    action: input.action,
    ...actorColumns(input.actor),
    details: canonicalJson(input.details ?? null),
    reason: input.reason ?? null,
    user_id: input.subject?.userId ?? null,
    room_arn: input.subject?.roomArn ?? null,
    region: input.subject?.region ?? null,
    batch_id: input.subject?.batchId ?? null,
    status: 'done',
  });
  return { id };
}

export async function recordAction(input: ActionInput, db?: DatabaseHandle): Promise<{ id: string }> {
  const handle = await handleOf(db);
  return withWriteTransaction(handle, (trx) => appendAction(trx, input));
}

function parseJson<T>(text: string | null): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export function toAuditRecord(row: AuditLogRow): AuditRecord {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    action: row.action as AuditAction,
    actorId: row.actor_id,
    actorEmail: row.actor_email,
    actorRole: row.actor_role,
    via: row.via as Via,
    apiKeyName: row.api_key_name,
    batchId: row.batch_id,
    roomArn: row.room_arn,
    region: row.region,
    userId: row.user_id,
    attributes: parseJson<Record<string, string>>(row.attributes),
    capabilities: parseJson<string[]>(row.capabilities),
    durationMinutes: row.duration_minutes,
    reason: row.reason,
    details: parseJson<unknown>(row.details),
    status: row.status as AuditStatus,
    fingerprint: row.fingerprint,
    tokenExpiresAt: row.token_expires_at,
    sessionExpiresAt: row.session_expires_at,
    requestId: row.request_id,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    completedAt: row.completed_at,
    prevHash: row.prev_hash,
    hash: row.hash,
    completionHash: row.completion_hash,
  };
}

export async function getAuditRecord(id: string, db?: DatabaseHandle): Promise<AuditRecord | null> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAuditRecord(row) : null;
}

/** The mint whose token has this fingerprint (the newest, should two ever collide). */
export async function findMintByFingerprint(fingerprint: string, db?: DatabaseHandle): Promise<AuditRecord | null> {
  const handle = await handleOf(db);
  const row = await handle.db
    .selectFrom('audit_log')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .where('action', '=', 'token.minted')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toAuditRecord(row) : null;
}

/** A LIKE pattern matching `text` literally anywhere; used with `escape '\'`. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function conditions(eb: ExpressionBuilder<DB, 'audit_log'>, f: AuditFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (f.userId !== undefined) out.push(eb('user_id', '=', f.userId));
  if (f.roomArn !== undefined) out.push(eb('room_arn', '=', f.roomArn));
  if (f.actor !== undefined) {
    // Emails always hold an '@' and staff ids never do; one equality (not an OR of two) lets the
    // index deliver rows in seq order instead of sorting every row of the actor (bench/audit-lookup.ts).
    out.push(f.actor.includes('@') ? eb('actor_email', '=', f.actor.toLowerCase()) : eb('actor_id', '=', f.actor));
  }
  if (f.status !== undefined) out.push(eb('status', '=', f.status));
  if (f.action !== undefined) out.push(eb('action', '=', f.action));
  if (f.via !== undefined) out.push(eb('via', '=', f.via));
  if (f.batchId !== undefined) out.push(eb('batch_id', '=', f.batchId));
  if (f.capability !== undefined) {
    // capabilities is a JSON array of strings; its quoted element is a literal substring.
    out.push(sql<SqlBool>`${eb.ref('capabilities')} like ${containsPattern(JSON.stringify(f.capability))} escape '\\'`);
  }
  if (f.from !== undefined) out.push(eb('at', '>=', iso(f.from, 'from')));
  if (f.to !== undefined) out.push(eb('at', '<=', iso(f.to, 'to')));
  if (f.q !== undefined && f.q.trim() !== '') {
    const pattern = containsPattern(f.q.trim().toLowerCase());
    out.push(
      eb.or(
        (['user_id', 'room_arn', 'actor_email', 'reason'] as const).map(
          (c) => sql<SqlBool>`lower(${eb.ref(c)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  return out;
}

/** Newest first, keyset-paginated on seq: pass `nextBefore` back as `page.before`. */
export async function listAuditRecords(
  filter: AuditFilter,
  page: AuditPage,
  db?: DatabaseHandle,
): Promise<{ rows: AuditRecord[]; nextBefore: number | null }> {
  const handle = await handleOf(db);
  const limit = Math.min(500, Math.max(1, Math.floor(page.limit) || 1));
  let query = handle.db.selectFrom('audit_log').selectAll();
  query = query.where((eb) => eb.and(conditions(eb, filter)));
  if (page.before !== undefined) query = query.where('seq', '<', page.before);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  return { rows: pageRows.map(toAuditRecord), nextBefore: more ? pageRows[pageRows.length - 1].seq : null };
}

/** The number of rows matching `filter`. A scan on large unfiltered tables: use for small result sets. */
export async function countAuditRecords(filter: AuditFilter, db?: DatabaseHandle): Promise<number> {
  const handle = await handleOf(db);
  const row = await handle.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.and(conditions(eb, filter)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Walks the whole chain in seq order and reports the first row that breaks it. */
export async function verifyAuditChain(db?: DatabaseHandle): Promise<VerifyResult> {
  const handle = await handleOf(db);
  let prev: { seq: number; hash: string } | null = null;
  let rows = 0;
  for (;;) {
    let query = handle.db.selectFrom('audit_log').selectAll().orderBy('seq', 'asc').limit(1000);
    if (prev) query = query.where('seq', '>', prev.seq);
    const batch = await query.execute();
    for (const row of batch) {
      const problem = checkRow(row, prev);
      if (problem) return { ok: false, rows, seq: row.seq, problem };
      rows += 1;
      prev = { seq: row.seq, hash: row.hash };
    }
    if (batch.length < 1000) return { ok: true, rows };
  }
}
