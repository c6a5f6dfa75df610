import { checkMintRequest, type PolicyRefusal, type RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import type { PresetRequest } from '@/lib/shared/presets/schema';

/** Any ARN in the right shape: a preset without a room is checked against the form's room at mint time. */
const PLACEHOLDER_ROOM = 'arn:aws:ivschat:placeholder:0:room/placeholder';

/** A rule of a role's policy that a preset breaks: the preset could never be used by that role as it is. */
export interface PresetRoleProblem extends PolicyRefusal {
  role: Role;
}

/**
 * What each named role's policy refuses in the preset (capabilities, the longest session, the room
 * pattern, minting at all). The reason is not checked: the person completes it at mint time.
 */
export function presetRoleProblems(
  preset: Pick<PresetRequest, 'roles' | 'roomArn' | 'capabilities' | 'sessionDurationInMinutes' | 'attributes'>,
  policies: Partial<Record<Role, RolePolicy>>,
): PresetRoleProblem[] {
  const problems: PresetRoleProblem[] = [];
  for (const role of preset.roles) {
    const policy = policies[role];
    if (!policy) continue;
    const refusals = checkMintRequest(role, policy, {
      roomArn: preset.roomArn || PLACEHOLDER_ROOM,
      userId: 'preset',
      attributes: preset.attributes,
      capabilities: preset.capabilities,
      sessionDurationInMinutes: preset.sessionDurationInMinutes,
      reason: 'preset',
    });
    for (const r of refusals) if (preset.roomArn || r.field !== 'roomArn') problems.push({ ...r, role });
  }
  return problems;
}

/**
 * Field errors for a preset that names roles which could never use it, at the field that breaks
 * the rule and at the roles: the same words in the preset form and in the server action.
 */
export function presetRoleFieldErrors(problems: readonly PresetRoleProblem[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const byField = new Map<string, string[]>();
  for (const p of problems) {
    const field = p.field ?? 'roles';
    byField.set(field, [...(byField.get(field) ?? []), `${p.message} (${p.rule})`]);
  }
  for (const [field, messages] of byField) errors[field] = messages.join(' ');
  const roles = [...new Set(problems.map((p) => p.role))];
  if (roles.length) {
    errors.roles = `${roles.join(', ')} could never use this preset as it is: untick ${roles.length > 1 ? 'them' : 'it'} or change what the preset grants.${errors.roles ? ` ${errors.roles}` : ''}`;
  }
  return errors;
}

export { isUneditedTemplate } from '@/lib/shared/policy/rules';
