import 'server-only';
import { getDatabase } from '@/lib/db';

/**
 * Who is behind an actor, for "never the requester": a member is `staff:<id>`; an API key is its
 * owner (`staff:<id>` for a member's key, `service:<id>` for a service account's), so a key cannot
 * approve its owner's request, nor a member a request made with their own key.
 */
export async function identityOf(actor: {
  staffId: string;
  apiKeyName?: string | null;
}): Promise<{ identity: string; ownerEmail: string | null }> {
  if (!actor.staffId.startsWith('apikey:')) {
    return { identity: `staff:${actor.staffId}`, ownerEmail: null };
  }
  const handle = await getDatabase();
  const key = await handle.db
    .selectFrom('api_keys')
    .select(['owner_kind', 'owner_id'])
    .where('id', '=', actor.staffId.slice('apikey:'.length))
    .executeTakeFirst();
  // Keys from before owners existed are given one by migration 0011; fail closed on anything else.
  if (!key?.owner_kind || !key.owner_id) return { identity: actor.staffId, ownerEmail: null };
  if (key.owner_kind === 'staff') {
    const owner = await handle.db.selectFrom('staff').select('email').where('id', '=', key.owner_id).executeTakeFirst();
    return { identity: `staff:${key.owner_id}`, ownerEmail: owner?.email ?? null };
  }
  return { identity: `${key.owner_kind}:${key.owner_id}`, ownerEmail: null };
}

/** Whether the identity (as identityOf gives it) is, now, an enabled member or an enabled service account. */
export async function identityEnabled(identity: string): Promise<{ enabled: boolean; role: string | null }> {
  const handle = await getDatabase();
  const [kind, id] = [identity.slice(0, identity.indexOf(':')), identity.slice(identity.indexOf(':') + 1)];
  if (kind === 'staff') {
    const row = await handle.db.selectFrom('staff').select(['disabled', 'role']).where('id', '=', id).executeTakeFirst();
    return { enabled: !!row && row.disabled === 0, role: row?.role ?? null };
  }
  if (kind === 'service') {
    const row = await handle.db.selectFrom('service_accounts').select('disabled').where('id', '=', id).executeTakeFirst();
    return { enabled: !!row && row.disabled === 0, role: null };
  }
  return { enabled: false, role: null };
}
