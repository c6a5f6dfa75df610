import 'server-only';
/**
 * The audit log's hash chain. At insert, under a database-wide lock:
 *   hash = sha256(prev_hash + canonicalJson(fields fixed at insert, seq included))
 * and the first row's prev_hash is 64 zeros. Completing a pending mint (once) adds
 *   completion_hash = sha256(hash + canonicalJson(completion fields)).
 * The verifier finds an edited, deleted, inserted or reordered row. What a chain without an
 * external anchor cannot show: the newest rows cut off the end, a completed mint put back to a
 * bare 'pending' row, or a whole log rewritten with fresh hashes by someone with write access.
 * Publishing the last hash elsewhere from time to time covers the first and the last.
 */
import { createHash } from 'node:crypto';
import type { AuditLogRow } from '@/lib/db';

/** prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth and undefined dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The columns fixed at insert. JSON columns are hashed as their stored text. */
export type ChainedFields = Pick<
  AuditLogRow,
  | 'seq'
  | 'id'
  | 'at'
  | 'action'
  | 'actor_id'
  | 'actor_email'
  | 'actor_role'
  | 'via'
  | 'api_key_name'
  | 'batch_id'
  | 'room_arn'
  | 'region'
  | 'user_id'
  | 'attributes'
  | 'capabilities'
  | 'duration_minutes'
  | 'reason'
  | 'details'
>;

/** The columns written once, when a pending mint is completed. */
export type CompletionFields = Pick<
  AuditLogRow,
  'status' | 'fingerprint' | 'token_expires_at' | 'session_expires_at' | 'request_id' | 'error_code' | 'error_message' | 'completed_at'
>;

export function rowHash(prevHash: string, row: ChainedFields): string {
  return sha256(
    prevHash +
      canonicalJson({
        seq: row.seq,
        id: row.id,
        at: row.at,
        action: row.action,
        actor_id: row.actor_id,
        actor_email: row.actor_email,
        actor_role: row.actor_role,
        via: row.via,
        api_key_name: row.api_key_name,
        batch_id: row.batch_id,
        room_arn: row.room_arn,
        region: row.region,
        user_id: row.user_id,
        attributes: row.attributes,
        capabilities: row.capabilities,
        duration_minutes: row.duration_minutes,
        reason: row.reason,
        details: row.details,
      }),
  );
}

export function completionHash(hash: string, c: CompletionFields): string {
  return sha256(
    hash +
      canonicalJson({
        status: c.status,
        fingerprint: c.fingerprint,
        token_expires_at: c.token_expires_at,
        session_expires_at: c.session_expires_at,
        request_id: c.request_id,
        error_code: c.error_code,
        error_message: c.error_message,
        completed_at: c.completed_at,
      }),
  );
}

const COMPLETION_COLUMNS = [
  'fingerprint',
  'token_expires_at',
  'session_expires_at',
  'request_id',
  'error_code',
  'error_message',
  'completed_at',
] as const;

/**
 * Checks one row against its predecessor. Returns the problem, or null when the row is sound.
 * `prev` is null for the first row.
 */
export function checkRow(row: AuditLogRow, prev: { seq: number; hash: string } | null): string | null {
  const expectedSeq = prev ? prev.seq + 1 : 1;
  if (row.seq !== expectedSeq) {
    return prev
      ? `seq ${row.seq} follows seq ${prev.seq}: rows are missing or reordered`
      : `the first row has seq ${row.seq}, not 1: earlier rows are missing`;
  }
  const expectedPrev = prev ? prev.hash : GENESIS_HASH;
  if (row.prev_hash !== expectedPrev) {
    return prev
      ? `prev_hash does not match the hash of seq ${prev.seq}: a row was deleted, inserted or reordered`
      : 'the first row does not start the chain: earlier rows are missing';
  }
  if (rowHash(row.prev_hash, row) !== row.hash) return 'hash mismatch: the row was edited';

  if (row.action === 'token.minted') {
    if (row.status === 'pending') {
      if (row.completion_hash !== null || COMPLETION_COLUMNS.some((c) => row[c] !== null)) {
        return 'pending row carries completion fields: the row was edited';
      }
    } else if (row.status === 'issued' || row.status === 'failed') {
      if (row.completion_hash === null || completionHash(row.hash, row) !== row.completion_hash) {
        return 'completion hash mismatch: the completion was edited';
      }
    } else {
      return `unexpected status '${row.status}' on a mint: the row was edited`;
    }
  } else if (row.status !== 'done' || row.completion_hash !== null || COMPLETION_COLUMNS.some((c) => row[c] !== null)) {
    return `unexpected status or completion fields on '${row.action}': the row was edited`;
  }
  return null;
}
