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

export type { ApiKeyOwner } from '@/lib/shared/staff/api-key-view';
import type { ApiKeyOwner } from '@/lib/shared/staff/api-key-view';

export type { ServiceAccount } from '@/lib/shared/staff/api-key-view';
import type { ServiceAccount } from '@/lib/shared/staff/api-key-view';

/** How a key's owner is named when creating it. */
export type OwnerRef = { kind: 'staff'; email: string } | { kind: 'service'; name: string };

/** The service account that owns keys made on the shell without --owner. */
export const CLI_SERVICE_ACCOUNT = 'cli';

/** Who a request authenticated with an API key acts as: the shape `mintToken` takes. */
export interface ApiKeyActor {
  staffId: `apikey:${string}`;
  email: string;
  role: Role;
  via: 'api';
  apiKeyName: string;
  apiKeyId: string;
}

export type ApiKeyErrorCode = 'invalid_name' | 'invalid_role' | 'duplicate_name' | 'not_found' | 'invalid_owner';

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

function toApiKey(row: ApiKeyRow, owner: ApiKeyOwner | null): ApiKey {
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
    owner,
    state: row.revoked_at ? 'revoked' : !owner || owner.disabled ? 'suspended' : 'active',
  };
}

type Reader = DatabaseHandle['db'];

async function ownerOf(db: Reader, row: { owner_kind: string | null; owner_id: string | null }): Promise<ApiKeyOwner | null> {
  if (!row.owner_id) return null;
  if (row.owner_kind === 'staff') {
    const staff = await db.selectFrom('staff').select(['id', 'email', 'disabled']).where('id', '=', row.owner_id).executeTakeFirst();
    return staff ? { kind: 'staff', id: staff.id, name: staff.email, disabled: staff.disabled !== 0 } : null;
  }
  if (row.owner_kind === 'service') {
    const account = await db
      .selectFrom('service_accounts')
      .select(['id', 'name', 'disabled'])
      .where('id', '=', row.owner_id)
      .executeTakeFirst();
    return account ? { kind: 'service', id: account.id, name: account.name, disabled: account.disabled !== 0 } : null;
  }
  return null;
}

async function resolveOwner(db: Reader, ref: OwnerRef): Promise<ApiKeyOwner> {
  if (ref.kind === 'staff') {
    const email = ref.email.trim().toLowerCase();
    const staff = await db.selectFrom('staff').select(['id', 'email', 'disabled']).where('email', '=', email).executeTakeFirst();
    if (!staff) throw new ApiKeyError('invalid_owner', `No staff member with email ${email} to own the key.`);
    if (staff.disabled) throw new ApiKeyError('invalid_owner', `${email} is disabled and cannot own a key.`);
    return { kind: 'staff', id: staff.id, name: staff.email, disabled: false };
  }
  const account = await db
    .selectFrom('service_accounts')
    .select(['id', 'name', 'disabled'])
    .where('name', '=', ref.name.trim())
    .executeTakeFirst();
  if (!account) throw new ApiKeyError('invalid_owner', `No service account named ${ref.name.trim()}.`);
  if (account.disabled) throw new ApiKeyError('invalid_owner', `The service account ${account.name} is disabled and cannot own a key.`);
  return { kind: 'service', id: account.id, name: account.name, disabled: false };
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
  input: { name: string; role: string; owner?: OwnerRef },
  actor: AuditActor = SYSTEM_ACTOR,
  db?: DatabaseHandle,
): Promise<{ apiKey: ApiKey; key: string }> {
  const name = normalizeApiKeyName(input.name);
  const role = parseRole(input.role);
  const key = generateApiKey();
  const handle = await handleOf(db);
  // Without an owner: the member creating it, or (on the shell) the `cli` service account.
  let ownerRef = input.owner;
  if (!ownerRef) {
    const creator = await handle.db.selectFrom('staff').select('id').where('email', '=', actor.email.toLowerCase()).executeTakeFirst();
    if (creator) ownerRef = { kind: 'staff', email: actor.email };
    else {
      await ensureServiceAccount(CLI_SERVICE_ACCOUNT, actor, handle);
      ownerRef = { kind: 'service', name: CLI_SERVICE_ACCOUNT };
    }
  }
  const owner = await resolveOwner(handle.db, ownerRef);
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
    owner_kind: owner.kind,
    owner_id: owner.id,
  };
  const duplicate = () => new ApiKeyError('duplicate_name', `An API key named ${name} already exists (names stay taken after revocation).`);
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
      details: { resource: resource(row), new: { name, role, prefix: row.prefix, owner: `${owner.kind}:${owner.name}` } },
    });
  });
  return { apiKey: toApiKey(row, owner), key };
}

/** Every key, newest first, revoked ones included. */
export async function listApiKeys(db?: DatabaseHandle): Promise<ApiKey[]> {
  const handle = await handleOf(db);
  const rows = await handle.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('name').execute();
  return Promise.all(rows.map(async (row) => toApiKey(row, await ownerOf(handle.db, row))));
}

export async function getApiKeyByName(name: string, db?: DatabaseHandle): Promise<ApiKey | null> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('api_keys').selectAll().where('name', '=', name.trim()).executeTakeFirst();
  return row ? toApiKey(row, await ownerOf(handle.db, row)) : null;
}

/** Revokes the key at once (the next request with it is refused). Revoking twice changes nothing. */
export async function revokeApiKey(id: string, actor: AuditActor = SYSTEM_ACTOR, db?: DatabaseHandle): Promise<ApiKey> {
  const handle = await handleOf(db);
  return withWriteTransaction(handle, async (trx) => {
    const row = await trx.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ApiKeyError('not_found', `No API key with id ${id}`);
    if (row.revoked_at) return toApiKey(row, await ownerOf(trx, row));
    const set = { revoked_at: new Date().toISOString(), revoked_by: actor.email.toLowerCase() };
    await trx.updateTable('api_keys').set(set).where('id', '=', id).execute();
    await appendAction(trx, {
      actor,
      action: 'api_key.revoked',
      details: { resource: resource(row), old: { revoked: false }, new: { revoked: true } },
    });
    return toApiKey({ ...row, ...set }, await ownerOf(trx, row));
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
  const result = await checkApiKey(authorization, options);
  return result.ok ? result.actor : null;
}

export type ApiKeyCheck = { ok: true; actor: ApiKeyActor } | { ok: false; reason: 'invalid' | 'suspended'; message: string };

/** authenticateApiKey with the reason for a refusal, worded for the caller. */
export async function checkApiKey(
  authorization: string | null | undefined,
  options: { db?: DatabaseHandle; now?: Date } = {},
): Promise<ApiKeyCheck> {
  const invalid: ApiKeyCheck = { ok: false, reason: 'invalid', message: 'The API key is not valid or has been revoked.' };
  const key = parseBearerApiKey(authorization);
  if (!key) return invalid;
  const handle = await handleOf(options.db);
  const row = await handle.db
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'last_used_at', 'revoked_at', 'owner_kind', 'owner_id'])
    .where('key_hash', '=', apiKeyHash(key))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || !(ROLES as readonly string[]).includes(row.role)) return invalid;
  // The owner's current state, read on every request like the key itself.
  const owner = await ownerOf(handle.db, row);
  if (!owner || owner.disabled) {
    return {
      ok: false,
      reason: 'suspended',
      message: owner
        ? `The API key ${row.name} is suspended: its owner ${owner.name} is disabled. An admin can enable the owner or create a key for another owner.`
        : `The API key ${row.name} is suspended: it has no owner.`,
    };
  }
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
    ok: true,
    actor: {
      staffId: `apikey:${row.id}`,
      email: `${row.name}@api-key`,
      role: row.role as Role,
      via: 'api',
      apiKeyName: row.name,
      apiKeyId: row.id,
    },
  };
}

const serviceResource = (row: { id: string; name: string }) => ({ type: 'service_account', id: row.id, label: row.name });

function toServiceAccount(row: Selectable<DB['service_accounts']>): ServiceAccount {
  return { id: row.id, name: row.name, disabled: row.disabled !== 0, createdAt: row.created_at, createdBy: row.created_by };
}

export async function listServiceAccounts(db?: DatabaseHandle): Promise<ServiceAccount[]> {
  const handle = await handleOf(db);
  return (await handle.db.selectFrom('service_accounts').selectAll().orderBy('name').execute()).map(toServiceAccount);
}

export async function getServiceAccountByName(name: string, db?: DatabaseHandle): Promise<ServiceAccount | null> {
  const handle = await handleOf(db);
  const row = await handle.db.selectFrom('service_accounts').selectAll().where('name', '=', name.trim()).executeTakeFirst();
  return row ? toServiceAccount(row) : null;
}

/** A new service account (names follow the key-name pattern and are unique). */
export async function createServiceAccount(name: string, actor: AuditActor = SYSTEM_ACTOR, db?: DatabaseHandle): Promise<ServiceAccount> {
  const normalized = normalizeApiKeyName(name);
  const handle = await handleOf(db);
  const row = {
    id: randomUUID(),
    name: normalized,
    disabled: 0,
    created_at: new Date().toISOString(),
    created_by: actor.email.toLowerCase(),
  };
  const duplicate = () => new ApiKeyError('duplicate_name', `A service account named ${normalized} already exists.`);
  await withWriteTransaction(handle, async (trx) => {
    if (await trx.selectFrom('service_accounts').select('id').where('name', '=', normalized).executeTakeFirst()) throw duplicate();
    try {
      await trx.insertInto('service_accounts').values(row).execute();
    } catch (error) {
      throw isUniqueViolation(error) ? duplicate() : error;
    }
    await appendAction(trx, {
      actor,
      action: 'service_account.created',
      details: { resource: serviceResource(row), new: { name: normalized } },
    });
  });
  return toServiceAccount(row);
}

async function ensureServiceAccount(name: string, actor: AuditActor, handle: DatabaseHandle): Promise<void> {
  if (await getServiceAccountByName(name, handle)) return;
  try {
    await createServiceAccount(name, actor, handle);
  } catch (error) {
    if (!(error instanceof ApiKeyError && error.code === 'duplicate_name')) throw error;
  }
}

/** Disabling a service account suspends its keys at their next request; enabling resumes them. */
export async function setServiceAccountDisabled(
  id: string,
  disabled: boolean,
  actor: AuditActor = SYSTEM_ACTOR,
  db?: DatabaseHandle,
): Promise<ServiceAccount> {
  const handle = await handleOf(db);
  return withWriteTransaction(handle, async (trx) => {
    const row = await trx.selectFrom('service_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ApiKeyError('not_found', `No service account with id ${id}`);
    if ((row.disabled !== 0) === disabled) return toServiceAccount(row);
    await trx
      .updateTable('service_accounts')
      .set({ disabled: disabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
    await appendAction(trx, {
      actor,
      action: disabled ? 'service_account.disabled' : 'service_account.enabled',
      details: { resource: serviceResource(row), old: { disabled: !disabled }, new: { disabled } },
    });
    return toServiceAccount({ ...row, disabled: disabled ? 1 : 0 });
  });
}
