/**
 * The mint policy's pure evaluation, shared by the server (which enforces it in mintToken) and the
 * mint form (which shows it). The file's shape is in ./policy-file.ts (read by lib/auth/policy.ts),
 * kept apart so the browser, which only evaluates a role's policy, never loads its zod schemas. The
 * mint schema with a role's policy on top is `mintSchemaForRole` in ./schema.ts.
 */
import { hasVisibleText } from '@/lib/shared/text';
import type { Capability } from '@/lib/shared/tokens/limits';
import type { Role } from '@/lib/shared/policy/roles';
import type { RolePolicy } from '@/lib/shared/policy/file-schema';

export type { Policy, RolePolicy, RoomScope } from '@/lib/shared/policy/file-schema';

// The policy's patterns are few and fixed for the life of the process: compile each once.
const compiledGlobs = new Map<string, RegExp>();

function globToRegExp(pattern: string): RegExp {
  let re = compiledGlobs.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    if (compiledGlobs.size < 1000) compiledGlobs.set(pattern, re);
  }
  return re;
}

export function matchesGlob(pattern: string, value: string): boolean {
  return globToRegExp(pattern).test(value);
}

/** The form field a refusal belongs to, so it can be shown there as well as in the alert. */
export type PolicyField = 'roomArn' | 'capabilities' | 'sessionDurationInMinutes' | 'reason';

export interface PolicyRefusal {
  /** Where in the policy file the refusing rule lives, e.g. `roles.support.maxSessionMinutes`. */
  rule: string;
  message: string;
  field?: PolicyField;
}

function regionOf(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/** The room-scope checks that need only the ARN (pattern and region); tags are checked separately. */
export function checkRoomArn(role: Role, policy: RolePolicy, arn: string): PolicyRefusal | null {
  const base = `roles.${role}.rooms`;
  if (!policy.rooms.arns.some((p) => matchesGlob(p, arn))) {
    return {
      rule: `${base}.arns`,
      field: 'roomArn',
      message: `The ${role} role may not mint for this room (it matches none of the role's room patterns).`,
    };
  }
  const region = regionOf(arn);
  if (!policy.rooms.regions.some((r) => r === '*' || r === region)) {
    return { rule: `${base}.regions`, field: 'roomArn', message: `The ${role} role may not mint for rooms in ${region}.` };
  }
  const account = arn.split(':')[4] ?? '';
  if (!policy.rooms.accounts.some((a) => a === '*' || a === account)) {
    return { rule: `${base}.accounts`, field: 'roomArn', message: `The ${role} role may not mint for rooms in AWS account ${account}.` };
  }
  return null;
}

/** Checks the room's tags against the role's required tags. */
export function checkRoomTags(role: Role, policy: RolePolicy, tags: Record<string, string>): PolicyRefusal | null {
  for (const [key, value] of Object.entries(policy.rooms.tags)) {
    if (tags[key] !== value) {
      return {
        rule: `roles.${role}.rooms.tags.${key}`,
        field: 'roomArn',
        message: `The ${role} role may mint only for rooms tagged ${key}=${value}.`,
      };
    }
  }
  return null;
}

// Patterns that match every IVS Chat room ARN.
const EVERY_ROOM_PATTERNS = new Set([
  '*',
  'arn:*',
  'arn:aws:*',
  'arn:aws:ivschat:*',
  'arn:aws:ivschat:*:*:*',
  'arn:aws:ivschat:*:*:room/*',
]);

/**
 * Whether the role's room scope is every room (every ARN, every region, no required tags). An act
 * that reaches every room at once (a deny-list entry for every room) needs it.
 */
export function roomScopeUnrestricted(policy: RolePolicy): boolean {
  return (
    policy.rooms.arns.some((p) => EVERY_ROOM_PATTERNS.has(p)) &&
    policy.rooms.regions.includes('*') &&
    Object.keys(policy.rooms.tags).length === 0
  );
}

export function requiresRoomTags(policy: RolePolicy): boolean {
  return Object.keys(policy.rooms.tags).length > 0;
}

/** Whether a listed room is in the role's scope (the picker shows only these). */
export function roomInScope(role: Role, policy: RolePolicy, room: { arn: string; tags: Record<string, string> }): boolean {
  return checkRoomArn(role, policy, room.arn) === null && checkRoomTags(role, policy, room.tags) === null;
}

export function reasonRequired(policy: RolePolicy, capabilities: readonly Capability[]): Capability[] {
  return capabilities.filter((c) => policy.reasonRequiredFor.includes(c));
}

/**
 * What the policy reads from a mint request. The schema's MintTokenRequest has these and more; the
 * rules name only their own fields, so ./rules.ts does not import the schema that imports it.
 */
export interface MintPolicyInput {
  roomArn: string;
  capabilities: readonly Capability[];
  sessionDurationInMinutes: number;
  reason: string;
  [rest: string]: unknown;
}

/**
 * Whether a reason is a preset's reason template left as it was filled in ("Temporary moderator
 * for "): a template is a start, not a reason, so it does not satisfy a required reason.
 */
export function isUneditedTemplate(reason: string, templates: readonly string[]): boolean {
  const typed = reason.trim();
  if (!typed) return false;
  return templates.some((t) => t.trim() !== '' && t.trim() === typed);
}

/**
 * Every rule a parsed request breaks, in the order the form shows them, except room tags (which
 * need the room; the server looks them up). Empty: allowed so far. `reasonTemplates`: the presets'
 * reason templates, none of which counts as a required reason unedited.
 */
export function checkMintRequest(
  role: Role,
  policy: RolePolicy,
  request: MintPolicyInput,
  reasonTemplates: readonly string[] = [],
): PolicyRefusal[] {
  const base = `roles.${role}`;
  if (!policy.mayMint) return [{ rule: `${base}.mayMint`, message: `The ${role} role may not mint tokens.` }];
  const refusals: PolicyRefusal[] = [];
  const room = checkRoomArn(role, policy, request.roomArn);
  if (room) refusals.push(room);
  const denied = request.capabilities.filter((c) => !policy.capabilities.includes(c));
  if (denied.length) {
    refusals.push({
      rule: `${base}.capabilities`,
      field: 'capabilities',
      message: `The ${role} role may not grant ${denied.join(', ')}.`,
    });
  }
  if (request.sessionDurationInMinutes > policy.maxSessionMinutes) {
    refusals.push({
      rule: `${base}.maxSessionMinutes`,
      field: 'sessionDurationInMinutes',
      message: `The ${role} role may grant sessions of at most ${policy.maxSessionMinutes} minutes.`,
    });
  }
  const needReason = reasonRequired(policy, request.capabilities);
  if (needReason.length && !hasVisibleText(request.reason)) {
    refusals.push({
      rule: `${base}.reasonRequiredFor`,
      field: 'reason',
      message: `A reason is required to grant ${needReason.join(', ')}.`,
    });
  } else if (needReason.length && isUneditedTemplate(request.reason, reasonTemplates)) {
    refusals.push({
      rule: `${base}.reasonRequiredFor`,
      field: 'reason',
      message: `A reason is required to grant ${needReason.join(', ')}: “${request.reason.trim()}” is the preset's template as it was filled in; complete it.`,
    });
  }
  return refusals;
}
