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

/**
 * What a role may ask for beyond its outright grants (issue 16): an approver's yes makes it a right
 * to mint, for a window, through the one mint path (lib/approvals).
 */
const requestPolicySchema = z.strictObject({
  /** Capabilities a request may name (the role's outright ones may be named too). */
  capabilities: capabilityList.default([]),
  /** The rooms a request may name; the role's own room scope does not limit it. */
  rooms: roomScopeSchema.default({ arns: ['*'], regions: ['*'], accounts: ['*'], tags: {} }),
  /** false: the userId must be the requester's own chat userId (their email). */
  anyUserId: z.boolean().default(false),
  /** The longest session of each token minted under an approval (capped again so it ends with the window). */
  maxSessionMinutes: z.number().int().min(DURATION_LIMITS.min).max(DURATION_LIMITS.max).default(60),
  /** The longest approval window a request may ask for; its clock starts at approval. */
  maxWindowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** When the window ends, disconnect the userId in the room (an audited DisconnectUser). */
  disconnectAtEnd: z.boolean().default(true),
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
  /** Temporary elevated grants this role may request (absent: it may not request any). */
  requests: requestPolicySchema.optional(),
});

const autoApproveRuleSchema = z.strictObject({
  /** Named in the audit entry and on the request page ("approved by rule oncall"). */
  name: z.string().min(1).max(64),
  roles: z.array(z.enum(ROLES)).min(1),
  /** A regular expression the reason must match (e.g. a ticket or on-call page id). */
  reasonPattern: z
    .string()
    .min(1)
    .max(500)
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'Not a valid regular expression.'),
  /** Only requests naming no other capabilities are approved by the rule. */
  capabilities: capabilityList.min(1),
  maxWindowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
});

const approvalsSchema = z.strictObject({
  /** Roles whose members (and API keys) may approve or deny. Never the requester, whatever the role. */
  approverRoles: z.array(z.enum(ROLES)).default(['admin']),
  /** A request nobody answered expires after this long. */
  pendingExpiryMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
  /**
   * Two different approvers for requests that grant one of `capabilities` in a production room: a
   * room with all of `roomTags`, or in one of `accounts` (ids or accounts-file labels).
   */
  twoApprovers: z
    .strictObject({
      capabilities: capabilityList.default(['DISCONNECT_USER']),
      roomTags: z.record(z.string().min(1), z.string()).default({}),
      accounts: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  autoApprove: z.array(autoApproveRuleSchema).default([]),
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
  approvals: approvalsSchema.default({ approverRoles: ['admin'], pendingExpiryMinutes: 60, autoApprove: [] }),
});

export type RoomScope = z.output<typeof roomScopeSchema>;
export type RolePolicy = z.output<typeof rolePolicySchema>;
export type RequestPolicy = z.output<typeof requestPolicySchema>;
export type ApprovalsPolicy = z.output<typeof approvalsSchema>;
export type Policy = z.output<typeof policySchema>;

/** Names each bad entry by its path in the file (`roles.support.maxSessionMinutes: …`). */
export function describePolicyIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return `${path || '(top level)'}: ${i.message}`;
  });
}
