import 'server-only';
import { randomUUID } from 'node:crypto';
import { appendAction, type AuditActor } from '@/lib/audit/store';
import { getDatabase, isUniqueViolation, withWriteTransaction, type DatabaseHandle, type PresetTable } from '@/lib/db';
import type { AttributeRow } from '@/lib/shared/tokens/attributes';
import type { Capability } from '@/lib/shared/tokens/limits';
import type { Preset, PresetRequest } from '@/lib/shared/presets/schema';
import { presetRoleProblems } from '@/lib/shared/presets/policy';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';

/** Named mint presets: admins manage them; the mint form offers those a role may use. */
export class PresetNameTakenError extends Error {
  override name = 'PresetNameTakenError';
}

const handleOf = async (db?: DatabaseHandle) => db ?? (await getDatabase());

function parseList<T>(text: string): T[] {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function toPreset(row: PresetTable): Preset {
  return {
    id: row.id,
    name: row.name,
    roles: parseList<Role>(row.roles),
    roomArn: row.room_arn ?? '',
    capabilities: parseList<Capability>(row.capabilities),
    sessionDurationInMinutes: row.duration_minutes,
    attributes: parseList<AttributeRow>(row.attributes),
    reasonTemplate: row.reason_template,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function columns(p: PresetRequest) {
  return {
    name: p.name,
    roles: JSON.stringify(p.roles),
    room_arn: p.roomArn || null,
    capabilities: JSON.stringify(p.capabilities),
    duration_minutes: p.sessionDurationInMinutes,
    attributes: JSON.stringify(p.attributes),
    reason_template: p.reasonTemplate,
  };
}

export async function listPresets(db?: DatabaseHandle): Promise<Preset[]> {
  const { db: k } = await handleOf(db);
  const rows = await k.selectFrom('presets').selectAll().orderBy('name', 'asc').execute();
  return rows.map(toPreset);
}

/**
 * The presets a role may use: listed for the role, and within its policy (capabilities, longest
 * session, room pattern), so one click never fills the form with something mintToken refuses.
 */
export function presetsForRole(presets: Preset[], role: Role, policy: RolePolicy): Preset[] {
  if (!policy.mayMint) return [];
  return presets.filter((p) => p.roles.includes(role) && presetRoleProblems({ ...p, roles: [role] }, { [role]: policy }).length === 0);
}

/** The reason templates of the presets a role may use (the mint form fills the reason with one of them). */
export async function presetReasonTemplates(role: Role, policy: RolePolicy, db?: DatabaseHandle): Promise<string[]> {
  return presetsForRole(await listPresets(db), role, policy)
    .map((p) => p.reasonTemplate)
    .filter((t) => t.trim() !== '');
}

export async function createPreset(input: PresetRequest, actor: AuditActor, db?: DatabaseHandle): Promise<Preset> {
  const handle = await handleOf(db);
  const now = new Date().toISOString();
  const row: PresetTable = { id: randomUUID(), ...columns(input), created_at: now, updated_at: now, updated_by: actor.email.toLowerCase() };
  try {
    await withWriteTransaction(handle, async (trx) => {
      await trx.insertInto('presets').values(row).execute();
      await appendAction(trx, {
        actor,
        action: 'preset.created',
        details: { resource: { type: 'preset', id: row.id, label: row.name }, new: input },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new PresetNameTakenError(`A preset named "${input.name}" exists already.`);
    throw err;
  }
  return toPreset(row);
}

export async function updatePreset(id: string, input: PresetRequest, actor: AuditActor, db?: DatabaseHandle): Promise<Preset | null> {
  const handle = await handleOf(db);
  try {
    return await withWriteTransaction(handle, async (trx) => {
      const old = await trx.selectFrom('presets').selectAll().where('id', '=', id).executeTakeFirst();
      if (!old) return null;
      const updated: PresetTable = {
        ...old,
        ...columns(input),
        updated_at: new Date().toISOString(),
        updated_by: actor.email.toLowerCase(),
      };
      await trx.updateTable('presets').set(updated).where('id', '=', id).execute();
      const { id: _a, updatedAt: _b, updatedBy: _c, ...before } = toPreset(old);
      await appendAction(trx, {
        actor,
        action: 'preset.updated',
        details: { resource: { type: 'preset', id, label: updated.name }, old: before, new: input },
      });
      return toPreset(updated);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new PresetNameTakenError(`A preset named "${input.name}" exists already.`);
    throw err;
  }
}

export async function deletePreset(id: string, actor: AuditActor, db?: DatabaseHandle): Promise<boolean> {
  const handle = await handleOf(db);
  return withWriteTransaction(handle, async (trx) => {
    const old = await trx.selectFrom('presets').selectAll().where('id', '=', id).executeTakeFirst();
    if (!old) return false;
    await trx.deleteFrom('presets').where('id', '=', id).execute();
    const { id: _a, updatedAt: _b, updatedBy: _c, ...before } = toPreset(old);
    await appendAction(trx, {
      actor,
      action: 'preset.deleted',
      details: { resource: { type: 'preset', id, label: old.name }, old: before },
    });
    return true;
  });
}
