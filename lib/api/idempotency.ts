import 'server-only';
import { createHash } from 'node:crypto';
import { getDatabase, isUniqueViolation, type DatabaseHandle } from '@/lib/db';

/**
 * Idempotency-Key on POST /api/v1/tokens: a pipeline that retries after a lost response must not
 * mint twice. Tokens are shown once and never stored, so a reused key cannot replay the answer; it
 * gets a 409 naming the audit records the first request created. A key is released again when the
 * first request reached no audit row (refused, rate limited), so the retry can go ahead.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const KEEP_MS = 24 * 60 * 60 * 1000;
let claims = 0;

export type IdempotencyClaim =
  | { ok: true }
  | {
      ok: false;
      firstUsedAt: string;
      /** What the first request created; null while it runs or when it was interrupted. */
      auditIds: string[] | null;
      /** While auditIds is null: the audit entries the request had written so far (a still-pending one: outcome unknown). */
      startedAuditIds: string[];
      sameRequest: boolean;
    };

export const requestHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export async function claimIdempotencyKey(apiKeyId: string, key: string, bodyHash: string, db?: DatabaseHandle): Promise<IdempotencyClaim> {
  const handle = db ?? (await getDatabase());
  const now = new Date();
  if (++claims % 100 === 0) {
    const cutoff = new Date(now.getTime() - KEEP_MS).toISOString();
    await handle.db
      .deleteFrom('api_idempotency_keys')
      .where('created_at', '<', cutoff)
      .execute()
      .catch(() => {});
    await handle.db
      .deleteFrom('api_idempotency_audit')
      .where('created_at', '<', cutoff)
      .execute()
      .catch(() => {});
  }
  try {
    await handle.db
      .insertInto('api_idempotency_keys')
      .values({ api_key_id: apiKeyId, idempotency_key: key, request_hash: bodyHash, audit_ids: null, created_at: now.toISOString() })
      .execute();
    return { ok: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  const row = await handle.db
    .selectFrom('api_idempotency_keys')
    .selectAll()
    .where('api_key_id', '=', apiKeyId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!row) return claimIdempotencyKey(apiKeyId, key, bodyHash, handle);
  const started = row.audit_ids
    ? []
    : await handle.db
        .selectFrom('api_idempotency_audit')
        .select('audit_id')
        .where('api_key_id', '=', apiKeyId)
        .where('idempotency_key', '=', key)
        .orderBy('created_at')
        .execute();
  return {
    ok: false,
    firstUsedAt: row.created_at,
    auditIds: row.audit_ids ? (JSON.parse(row.audit_ids) as string[]) : null,
    startedAuditIds: started.map((r) => r.audit_id),
    sameRequest: row.request_hash === bodyHash,
  };
}

/**
 * Notes an audit entry the request has just written, before its CreateChatToken call: should the
 * process stop before `finishIdempotencyKey`, the key still names what the request did.
 */
export async function noteIdempotencyAudit(apiKeyId: string, key: string, auditId: string, db?: DatabaseHandle): Promise<void> {
  const handle = db ?? (await getDatabase());
  await handle.db
    .insertInto('api_idempotency_audit')
    .values({ api_key_id: apiKeyId, idempotency_key: key, audit_id: auditId, created_at: new Date().toISOString() })
    .execute();
}

/** Records what the request created, or releases the key when it created nothing. */
export async function finishIdempotencyKey(apiKeyId: string, key: string, auditIds: string[], db?: DatabaseHandle): Promise<void> {
  const handle = db ?? (await getDatabase());
  const where = handle.db.updateTable('api_idempotency_keys').where('api_key_id', '=', apiKeyId).where('idempotency_key', '=', key);
  if (auditIds.length) await where.set({ audit_ids: JSON.stringify(auditIds) }).execute();
  else await handle.db.deleteFrom('api_idempotency_keys').where('api_key_id', '=', apiKeyId).where('idempotency_key', '=', key).execute();
}
