import 'server-only';
/**
 * The audit log: an append-only, keyed hash chain (schema v2, migration 0008).
 *
 * audit_log (authoritative; the database refuses UPDATE, DELETE and, on PostgreSQL, TRUNCATE):
 *   one row per entry, never changed once written. At insert, under the database-wide write lock:
 *     hash = HMAC-SHA256(chain key, prev_hash + JSON.stringify(['ivsc-audit-v2', ...CHAINED_COLUMNS]))
 *   and key_id names the chain key (lib/audit/keys.ts; the key itself is never in the database).
 *   The first entry's prev_hash is 64 zeros. A new key id starts a new segment: its first entry
 *   chains onto the previous segment's last hash, and a segment's key never comes back.
 *   A mint is two entries: 'token.minted' (the request, written before CreateChatToken is called)
 *   and later at most one 'mint.issued' or 'mint.failed' whose ref_seq is the request's seq
 *   (unique), carrying the fingerprint, expiries, request id or the AWS error. No completion:
 *   the mint is pending (outcome unknown). Every other action is one entry.
 *
 * audit_mints (a projection: mutable, not authoritative): one row per mint request, keyed by its
 *   seq, with its status and completion and copies of the columns the history filters on, so
 *   "room + status, newest 50" is one index range at any size. Written in the same transaction
 *   as the entries it mirrors; `verify` recomputes it from the chain and reports any difference.
 *   Records shown to people are built from the entries (the completion found by ref_seq), so an
 *   edited projection can hide or misfile a row in a filtered list but never change what it says.
 *
 * Checkpoints (lib/audit/checkpoint.ts): the head (seq, hash, key id, time), HMAC'd with the
 * chain key, appended to a JSON-lines file outside the database; verify checks the log still
 * holds every checkpointed (seq, hash), so truncation and rollback since a checkpoint show.
 *
 * What this cannot show: anything done by someone who holds the chain key (they can rewrite the
 * log and its checkpoints), and entries cut off after the newest checkpoint.
 */
import { createHmac } from 'node:crypto';
import type { AuditLogRow } from '@/lib/db';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
export const CHAIN_FORMAT = 'ivsc-audit-v2';

/** The entry that records a mint request; its outcome is a later completion entry. */
export const MINT_REQUEST = 'token.minted';
export const MINT_COMPLETIONS = ['mint.issued', 'mint.failed'] as const;
export type MintCompletionAction = (typeof MINT_COMPLETIONS)[number];
export const isCompletion = (action: string): action is MintCompletionAction => action === 'mint.issued' || action === 'mint.failed';

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

/** Every column but prev_hash and hash, in the order they are hashed. Append-only list: a new column is a new format. */
export const CHAINED_COLUMNS = [
  'seq',
  'id',
  'at',
  'action',
  'actor_id',
  'actor_email',
  'actor_role',
  'via',
  'api_key_name',
  'batch_id',
  'room_arn',
  'region',
  'user_id',
  'attributes',
  'capabilities',
  'duration_minutes',
  'reason',
  'details',
  'ref_seq',
  'fingerprint',
  'token_expires_at',
  'session_expires_at',
  'request_id',
  'error_code',
  'error_message',
  'key_id',
] as const satisfies readonly (keyof AuditLogRow)[];

export type ChainedFields = Pick<AuditLogRow, (typeof CHAINED_COLUMNS)[number]>;

/** The text an entry's HMAC covers (after prev_hash). JSON.stringify of a flat array: fast and unambiguous. */
export function chainedText(row: ChainedFields): string {
  return JSON.stringify([
    CHAIN_FORMAT,
    row.seq,
    row.id,
    row.at,
    row.action,
    row.actor_id,
    row.actor_email,
    row.actor_role,
    row.via,
    row.api_key_name,
    row.batch_id,
    row.room_arn,
    row.region,
    row.user_id,
    row.attributes,
    row.capabilities,
    row.duration_minutes,
    row.reason,
    row.details,
    row.ref_seq,
    row.fingerprint,
    row.token_expires_at,
    row.session_expires_at,
    row.request_id,
    row.error_code,
    row.error_message,
    row.key_id,
  ]);
}

export function entryHash(secret: string, prevHash: string, row: ChainedFields): string {
  return createHmac('sha256', secret).update(prevHash, 'utf8').update(chainedText(row), 'utf8').digest('hex');
}

const COMPLETION_FIELDS = ['fingerprint', 'token_expires_at', 'session_expires_at', 'request_id', 'error_code', 'error_message'] as const;
const MINT_FIELDS = ['room_arn', 'region', 'user_id', 'attributes', 'capabilities', 'duration_minutes'] as const;

/** What an entry of its action may and must carry. Returns the problem, or null. */
export function checkShape(row: ChainedFields): string | null {
  if (row.action === MINT_REQUEST) {
    if (row.ref_seq !== null || COMPLETION_FIELDS.some((c) => row[c] !== null)) return 'a mint request carries completion fields';
    if (MINT_FIELDS.some((c) => row[c] === null)) return 'a mint request lacks its room, userId or grants';
    return null;
  }
  if (isCompletion(row.action)) {
    if (row.ref_seq === null || row.ref_seq >= row.seq) return `${row.action} does not name an earlier mint request`;
    if (row.action === 'mint.issued') {
      if (!row.fingerprint || !row.token_expires_at || !row.session_expires_at || row.error_code !== null) {
        return 'mint.issued lacks its fingerprint or expiries';
      }
    } else if (!row.error_code || row.fingerprint !== null) return 'mint.failed lacks its error code';
    return null;
  }
  if (row.ref_seq !== null || COMPLETION_FIELDS.some((c) => row[c] !== null)) return `'${row.action}' carries mint completion fields`;
  return null;
}
