import { z } from 'zod';
import { CAPABILITIES, DURATION_LIMITS } from '@/lib/shared/tokens/limits';
import { ROLES, type Role } from '@/lib/shared/policy/roles';

/**
 * The mint policy file's shape (config/policy.json), read and validated by lib/auth/policy.ts; its
 * evaluation is in ./policy.ts. Objects are strict: a misspelt key in the file is an error, not a
 * silently ignored rule. Only types from here reach the browser.
 */
const capabilityList = z.array(z.enum(CAPABILITIES)).refine((l) => new Set(l).size === l.length, 'Each capability may be listed once.');
const glob = z.string().min(1).max(2048);

const roomScopeSchema = z.strictObject({
  /** ARN glob patterns (`*` any run of characters, `?` one character). */
  arns: z.array(glob).min(1).default(['*']),
  /** Regions, or `*`. */
  regions: z.array(z.string().min(1)).min(1).default(['*']),
  /** AWS account ids or accounts-file labels (`qa`), or `*`; labels become ids when the policy is loaded. */
  accounts: z.array(z.string().min(1)).min(1).default(['*']),
  /** Tags every room must carry, exactly (`{ "env": "qa" }`). */
  tags: z.record(z.string().min(1), z.string()).default({}),
});

export const rolePolicySchema = z.strictObject({
  mayMint: z.boolean().default(false),
  capabilities: capabilityList.default([]),
  maxSessionMinutes: z.number().int().min(DURATION_LIMITS.min).max(DURATION_LIMITS.max).default(DURATION_LIMITS.min),
  rooms: roomScopeSchema.default({ arns: ['*'], regions: ['*'], accounts: ['*'], tags: {} }),
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
