import { z } from 'zod';
import { CAPABILITIES } from '@/lib/shared/tokens/limits';
import { roomArnSchema, userIdSchema } from '@/lib/shared/tokens/schema';
import { bidiProblem, hasVisibleText, textProblem } from '@/lib/shared/text';

/**
 * Temporary elevated grants on request (issue 16): the request and decision inputs, shared by the
 * request form, the server actions and /api/v1/requests. Client-safe.
 */
const text = (label: string, max: number, required: boolean) =>
  z
    .string({ error: required ? `Enter ${label}.` : `${label} is text.` })
    .trim()
    .max(max, `${label[0]!.toUpperCase()}${label.slice(1)} is at most ${max} characters.`)
    .refine((s) => textProblem(s) === null, `The ${label} contains a control character.`)
    .refine((s) => bidiProblem(s) === null, `The ${label} contains a bidirectional control character.`)
    .refine((s) => !required || hasVisibleText(s), `Enter ${label} (invisible characters alone are not one).`);

export const createAccessRequestSchema = z.strictObject({
  roomArn: roomArnSchema,
  /** Empty: the requester's own chat userId (their email). */
  userId: z._default(z.union([z.literal(''), userIdSchema]), ''),
  capabilities: z
    .array(z.enum(CAPABILITIES, { error: `A capability is one of ${CAPABILITIES.join(', ')}.` }))
    .min(1, 'Choose at least one capability.')
    .refine((l) => new Set(l).size === l.length, 'Each capability may be named once.'),
  /** How long the approval lasts once approved. */
  windowMinutes: z.coerce
    .number({ error: 'Enter the window in minutes.' })
    .int('Whole minutes.')
    .min(1, 'At least 1 minute.')
    .max(24 * 60, 'At most 1,440 minutes (24 h).'),
  /** The longest session of each token minted under it (capped to the window's end). */
  sessionDurationInMinutes: z.coerce
    .number({ error: 'Enter minutes.' })
    .int('Whole minutes.')
    .min(1, 'At least 1 minute.')
    .max(180, 'At most 180 minutes.'),
  reason: text('a reason or ticket', 256, true),
});
export type CreateAccessRequestInput = z.input<typeof createAccessRequestSchema>;
export type CreateAccessRequest = z.output<typeof createAccessRequestSchema>;

export const decideAccessRequestSchema = z.strictObject({
  decision: z.enum(['approve', 'deny'], { error: 'The decision is approve or deny.' }),
  comment: text('a comment', 500, false).default(''),
});
export type DecideAccessRequest = z.output<typeof decideAccessRequestSchema>;

export const accessRequestIdSchema = z.coerce
  .number({ error: 'Not a request number.' })
  .int('Not a request number.')
  .min(1, 'Not a request number.')
  .max(Number.MAX_SAFE_INTEGER, 'Not a request number.');

export const ACCESS_REQUEST_STATES = ['pending', 'approved', 'denied', 'expired', 'cancelled', 'ended'] as const;
export type AccessRequestState = (typeof ACCESS_REQUEST_STATES)[number];

export const listAccessRequestsSchema = z.strictObject({
  state: z._default(z.enum(['', ...ACCESS_REQUEST_STATES], { error: `The state is one of ${ACCESS_REQUEST_STATES.join(', ')}.` }), ''),
  limit: z._default(z.coerce.number().int().min(1).max(200), 50),
});
