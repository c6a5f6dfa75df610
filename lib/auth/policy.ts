import 'server-only';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { env } from '@/lib/env';
import { accountForArn, resolveAccountRef } from '@/lib/ivschat/accounts';
import { cachedRoomSummary, getRoom, POLICY_ROOM_MAX_AGE_MS } from '@/lib/ivschat/rooms';
import {
  checkMintRequest,
  checkRoomTags,
  reasonRequired,
  requiresRoomTags,
  type Policy,
  type PolicyRefusal,
  type RolePolicy,
} from '@/lib/shared/policy/rules';
import { describePolicyIssues, policySchema } from '@/lib/shared/policy/file-schema';
import type { Role } from '@/lib/shared/policy/roles';
import { presetReasonTemplates } from '@/lib/presets/store';
import { hasVisibleText } from '@/lib/shared/text';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';

export type { Policy, PolicyRefusal, RolePolicy };

export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
}

/** Reads and validates a policy file; the error names the file and every bad entry. */
export function loadPolicyFile(path: string): Policy {
  const file = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PolicyFileError(`Invalid policy file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    throw new PolicyFileError(
      `Invalid policy file ${file}:\n${describePolicyIssues(parsed.error)
        .map((l) => `  ${l}`)
        .join('\n')}`,
    );
  }
  const unknown: string[] = [];
  const resolveRefs = (refs: string[], path: string) =>
    refs.map((ref) => {
      const id = resolveAccountRef(ref);
      if (!id) unknown.push(`  ${path}: no account is labelled '${ref}' in the accounts file`);
      return id ?? ref;
    });
  for (const [role, rolePolicy] of Object.entries(parsed.data.roles)) {
    rolePolicy.rooms.accounts = resolveRefs(rolePolicy.rooms.accounts, `roles.${role}.rooms.accounts`);
    if (rolePolicy.requests) {
      rolePolicy.requests.rooms.accounts = resolveRefs(rolePolicy.requests.rooms.accounts, `roles.${role}.requests.rooms.accounts`);
    }
  }
  const two = parsed.data.approvals.twoApprovers;
  if (two) two.accounts = resolveRefs(two.accounts, 'approvals.twoApprovers.accounts');
  if (unknown.length) throw new PolicyFileError(`Invalid policy file ${file}:\n${unknown.join('\n')}`);
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

let loaded: Policy | undefined;

/**
 * The policy from POLICY_FILE, read once per process. `npm start` calls this before starting
 * Next, so a bad file stops the console instead of failing every request.
 */
export function getPolicy(): Policy {
  return (loaded ??= loadPolicyFile(env.POLICY_FILE));
}

export function rolePolicy(role: Role): RolePolicy {
  const policy = getPolicy().roles[role];
  // A role the code knows but the file does not cannot happen (the schema requires every role);
  // fail closed anyway if a stored role is unknown.
  if (!policy) throw new PolicyFileError(`The policy has no entry for role '${String(role)}'`);
  return policy;
}

export type Permission = 'mint' | 'audit.read' | 'staff.manage' | 'apikeys.manage' | 'users.disconnect' | 'moderate' | 'presets.manage';

const PERMISSION_RULE: Record<
  Permission,
  keyof Pick<
    RolePolicy,
    'mayMint' | 'mayReadAudit' | 'mayManageStaff' | 'mayManageApiKeys' | 'mayDisconnectUsers' | 'mayModerate' | 'mayManagePresets'
  >
> = {
  mint: 'mayMint',
  'audit.read': 'mayReadAudit',
  'staff.manage': 'mayManageStaff',
  'apikeys.manage': 'mayManageApiKeys',
  'users.disconnect': 'mayDisconnectUsers',
  moderate: 'mayModerate',
  'presets.manage': 'mayManagePresets',
};

/** The rule that grants a permission, for messages (`roles.viewer.mayManageStaff`). */
export function permissionRule(role: Role, permission: Permission): string {
  return `roles.${role}.${PERMISSION_RULE[permission]}`;
}

export function roleCan(role: Role, permission: Permission): boolean {
  const policy = getPolicy().roles[role];
  return policy?.[PERMISSION_RULE[permission]] === true;
}

export type PolicyDecision = { allowed: true } | ({ allowed: false } & PolicyRefusal & { refusals: PolicyRefusal[] });

function refuse(refusals: PolicyRefusal[]): PolicyDecision {
  const [first] = refusals;
  return { allowed: false, ...first!, refusals };
}

/**
 * The whole mint decision for a parsed request. Room tags come from the picker's cached listing,
 * else GetRoom; when the role needs tags and the room cannot be read, the answer is no.
 */
export async function checkMintPolicy(role: Role, request: MintTokenRequest): Promise<PolicyDecision> {
  const policy = rolePolicy(role);
  if (!accountForArn(request.roomArn)) {
    return refuse([
      {
        rule: 'accounts',
        field: 'roomArn',
        message: `This room is in AWS account ${request.roomArn.split(':')[4]}, which the accounts file does not name: the console has no credentials there.`,
      },
    ]);
  }
  // Only when a typed reason is required: the presets' templates, none of which counts unedited.
  const templates =
    reasonRequired(policy, request.capabilities).length && hasVisibleText(request.reason) ? await presetReasonTemplates(role, policy) : [];
  const refusals = checkMintRequest(role, policy, request, templates);
  if (refusals.length) return refuse(refusals);
  if (requiresRoomTags(policy)) {
    let tags = cachedRoomSummary(request.roomArn)?.tags;
    if (!tags) {
      const room = await getRoom(request.roomArn, { maxAgeMs: POLICY_ROOM_MAX_AGE_MS });
      if (!room.ok) {
        return refuse([
          {
            rule: `roles.${role}.rooms.tags`,
            field: 'roomArn',
            message: `The ${role} role may mint only for rooms with particular tags, and this room's tags could not be read: ${room.error.message}`,
          },
        ]);
      }
      tags = room.room.tags;
    }
    const tagRefusal = checkRoomTags(role, policy, tags);
    if (tagRefusal) return refuse([tagRefusal]);
  }
  return { allowed: true };
}
