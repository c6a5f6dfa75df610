import { z } from 'zod';
import { CAPABILITIES, DURATION_LIMITS, type Capability } from './limits';
import { ROLES, type Role } from './roles';
import { mintTokenSchema, type MintTokenRequest } from './schema';

/**
 * The mint policy's shape and its pure evaluation, shared by the server (which enforces it in
 * mintToken) and the mint form (which shows it). The file itself is read by lib/auth/policy.ts.
 * Objects are strict: a misspelt key in the file is an error, not a silently ignored rule.
 */
const capabilityList = z.array(z.enum(CAPABILITIES)).refine((l) => new Set(l).size === l.length, 'Each capability may be listed once.');
const glob = z.string().min(1).max(2048);

export const roomScopeSchema = z.strictObject({
  /** ARN glob patterns (`*` any run of characters, `?` one character). */
  arns: z.array(glob).min(1).default(['*']),
  /** Regions, or `*`. */
  regions: z.array(z.string().min(1)).min(1).default(['*']),
  /** Tags every room must carry, exactly (`{ "env": "qa" }`). */
  tags: z.record(z.string().min(1), z.string()).default({}),
});

export const rolePolicySchema = z.strictObject({
  mayMint: z.boolean().default(false),
  capabilities: capabilityList.default([]),
  maxSessionMinutes: z.number().int().min(DURATION_LIMITS.min).max(DURATION_LIMITS.max).default(DURATION_LIMITS.min),
  rooms: roomScopeSchema.default({ arns: ['*'], regions: ['*'], tags: {} }),
  /** A typed reason is required when the request grants any of these. */
  reasonRequiredFor: capabilityList.default(['DELETE_MESSAGE', 'DISCONNECT_USER']),
  mayReadAudit: z.boolean().default(false),
  mayManageStaff: z.boolean().default(false),
  mayManageApiKeys: z.boolean().default(false),
  mayDisconnectUsers: z.boolean().default(false),
  /** DeleteMessage, SendEvent and the deny list (DisconnectUser is mayDisconnectUsers). */
  mayModerate: z.boolean().default(false),
  /** Create, change and delete mint presets. */
  mayManagePresets: z.boolean().default(false),
});

const rateLimitSchema = z.strictObject({
  max: z.number().int().min(1).max(1_000_000),
  windowSeconds: z.number().int().min(1).max(86_400),
});

export const policySchema = z.strictObject({
  version: z.literal(1),
  rateLimits: z
    .strictObject({
      mintPerStaff: rateLimitSchema.default({ max: 60, windowSeconds: 60 }),
      mintPerApiKey: rateLimitSchema.default({ max: 120, windowSeconds: 60 }),
      /** Rows of bulk batches a staff member may start per window, counted once per batch (lib/mint/rate-limit.ts). */
      bulkRowsPerStaff: rateLimitSchema.default({ max: 50_000, windowSeconds: 3_600 }),
    })
    .default({
      mintPerStaff: { max: 60, windowSeconds: 60 },
      mintPerApiKey: { max: 120, windowSeconds: 60 },
      bulkRowsPerStaff: { max: 50_000, windowSeconds: 3_600 },
    }),
  roles: z.strictObject(Object.fromEntries(ROLES.map((r) => [r, rolePolicySchema])) as Record<Role, typeof rolePolicySchema>),
});

export type RoomScope = z.output<typeof roomScopeSchema>;
export type RolePolicy = z.output<typeof rolePolicySchema>;
export type Policy = z.output<typeof policySchema>;

/** Names each bad entry by its path in the file (`roles.support.maxSessionMinutes: …`). */
export function describePolicyIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return `${path || '(top level)'}: ${i.message}`;
  });
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
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
    return { rule: `${base}.arns`, field: 'roomArn', message: `The ${role} role may not mint for this room (it matches none of the role's room patterns).` };
  }
  const region = regionOf(arn);
  if (!policy.rooms.regions.some((r) => r === '*' || r === region)) {
    return { rule: `${base}.regions`, field: 'roomArn', message: `The ${role} role may not mint for rooms in ${region}.` };
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
 * Every rule a parsed request breaks, in the order the form shows them, except room tags (which
 * need the room; the server looks them up). Empty: allowed so far.
 */
export function checkMintRequest(role: Role, policy: RolePolicy, request: MintTokenRequest): PolicyRefusal[] {
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
  if (needReason.length && request.reason.trim() === '') {
    refusals.push({
      rule: `${base}.reasonRequiredFor`,
      field: 'reason',
      message: `A reason is required to grant ${needReason.join(', ')}.`,
    });
  }
  return refusals;
}

/**
 * The mint schema with the role's policy on top, for the form's resolver: the same rules the
 * server enforces, shown as field errors before anything is sent.
 */
export function mintSchemaForRole(role: Role, policy: RolePolicy) {
  return mintTokenSchema.superRefine((request, ctx) => {
    for (const refusal of checkMintRequest(role, policy, request)) {
      ctx.addIssue({ code: 'custom', path: refusal.field ? [refusal.field] : [], message: refusal.message });
    }
  });
}
