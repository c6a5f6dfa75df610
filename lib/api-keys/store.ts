import 'server-only';
import { randomUUID } from 'node:crypto';
import { appendAction, SYSTEM_ACTOR, type AuditActor } from '@/lib/audit/store';
import { getDatabase, isUniqueViolation, withWriteTransaction, type DatabaseHandle, type DB } from '@/lib/db';
import { log } from '@/lib/log';
import { ROLES, type Role } from '@/lib/shared/policy/roles';
import type { Selectable } from 'kysely';
import { API_KEY_NAME_PATTERN, apiKeyDisplayPrefix, apiKeyHash, generateApiKey, parseBearerApiKey } from './key';

export type { ApiKey } from '@/lib/shared/staff/api-key-view';
import type { ApiKey } from '@/lib/shared/staff/api-key-view';

/** Who a request authenticated with an API key acts as: the shape `mintToken` takes. */
export interface ApiKeyActor {
  staffId: `apikey:${string}`;
  email: string;
  role: Role;
  via: 'api';
  apiKeyName: string;
  apiKeyId: string;
}

export type ApiKeyErrorCode = 'invalid_name' | 'invalid_role' | 'duplicate_name' | 'not_found';

export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
  constructor(
    readonly code: ApiKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type ApiKeyRow = Selectable<DB['api_keys']>;

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());
const resource = (row: { id: string; name: string }) => ({ type: 'api_key', id: row.id, label: row.name });

function normalizeApiKeyName(name: string): string {
  const normalized = typeof name === 'string' ? name.trim() : '';
  if (!API_KEY_NAME_PATTERN.test(normalized)) {
    throw new ApiKeyError(
      'invalid_name',
      'A key name is 1 to 63 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.',
    );
  }
  return normalized;
}

function parseRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new ApiKeyError('invalid_role', `Unknown role '${role}'; expected one of: ${ROLES.join(', ')}`);
  return role as Role;
}

/**
 * Creates a key scoped to `role` and returns it once with its stored record. Names are unique
 * for ever, revoked keys included, so the audit log's key name always means one key.
 */
export async function createApiKey(
  input: { name: string; role: string },
  actor: AuditActor = SYSTEM_ACTOR,
  db?: DatabaseHandle,
): Promise<{ apiKey: ApiKey; key: string }> {
  const name = normalizeApiKeyName(input.name);
  const role = parseRole(input.role);
  const key = generateApiKey();
  const row: ApiKeyRow = {
    id: randomUUID(),
    name,
    prefix: apiKeyDisplayPrefix(key),
    key_hash: apiKeyHash(key),
    role,
    created_at: new Date().toISOString(),
    created_by: actor.email.toLowerCase(),
    last_used_at: null,
    revoked_at: null,
    revoked_by: null,
  };
  const duplicate = () => new ApiKeyError('duplicate_name', `An API key named ${name} already exists (names stay taken after revocation).`);
  const handle = await handleOf(db);
  await withWriteTransaction(handle, async (trx) => {
    const existing = await trx.selectFrom('api_keys').select('id').where('name', '=', name).executeTakeFirst();
    if (existing) throw duplicate();
    try {
      await trx.insertInto('api_keys').values(row).execute();
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate() : error;
    }
    // Never the key or its hash: only which key, its role and its recognisable prefix.
    await appendAction(trx, {
      actor,
      action: 'api_key.created',
      details: { resource: resource(row), new: { name, role, prefix: row.prefix } },
    });
  });
  return { apiKey: toApiKey(row), key };
}

/** Every key, newest first, revoked ones included. */
export async function listApiKeys(db?: DatabaseHandle): Promise<ApiKey[]> {
  const handle = await handleOf(db);
  const rows = await handle.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('name').execute();
  return rows.map(toApiKey);
}

export async function getApiKeyByName(name: string, db?: DatabaseHandle): Promise<ApiKey | null> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('api_keys').selectAll().where('name', '=', name.trim()).executeTakeFirst();
  return row ? toApiKey(row) : null;
}

/** Revokes the key at once (the next request with it is refused). Revoking twice changes nothing. */
export async function revokeApiKey(id: string, actor: AuditActor = SYSTEM_ACTOR, db?: DatabaseHandle): Promise<ApiKey> {
  const handle = await handleOf(db);
  return withWriteTransaction(handle, async (trx) => {
    const row = await trx.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ApiKeyError('not_found', `No API key with id ${id}`);
    if (row.revoked_at) return toApiKey(row);
    const set = { revoked_at: new Date().toISOString(), revoked_by: actor.email.toLowerCase() };
    await trx.updateTable('api_keys').set(set).where('id', '=', id).execute();
    await appendAction(trx, {
      actor,
      action: 'api_key.revoked',
      details: { resource: resource(row), old: { revoked: false }, new: { revoked: true } },
    });
    return toApiKey({ ...row, ...set });
  });
}

/** last_used_at is a hint for people, so it is written at most once a minute per key. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The actor for an `Authorization: Bearer <key>` header, or null (absent, malformed, unknown or
 * revoked). Read from the database on every call, without a cache, so revocation and role changes
 * apply to the very next request.
 */
export async function authenticateApiKey(
  authorization: string | null | undefined,
  options: { db?: DatabaseHandle; now?: Date } = {},
): Promise<ApiKeyActor | null> {
  const key = parseBearerApiKey(authorization);
  if (!key) return null;
  const handle = await handleOf(options.db);
  const row = await handle.db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'last_used_at', 'revoked_at'])
    .where('key_hash', '=', apiKeyHash(key))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || !(ROLES as readonly string[]).includes(row.role)) return null;
  const now = options.now ?? new Date();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_GRANULARITY_MS) {
    const cutoff = new Date(now.getTime() - LAST_USED_GRANULARITY_MS).toISOString();
    try {
      await handle.db
        .updateTable('api_keys')
        .set({ last_used_at: now.toISOString() })
        .where('id', '=', row.id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', cutoff)]))
        .execute();
    } catch (err) {
      // A hint only: a busy database must not turn a valid key away.
      log.warn(
        { event: 'api_key.last_used_failed', apiKeyName: row.name, err: err instanceof Error ? err.message : String(err) },
        'could not record last use',
      );
    }
  }
  return {
    staffId: `apikey:${row.id}`,
    email: `${row.name}@api-key`,
    role: row.role as Role,
    via: 'api',
    apiKeyName: row.name,
    apiKeyId: row.id,
  };
}
