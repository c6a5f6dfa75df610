import { z } from 'zod';
import { MODEL_LIMITS } from '@/lib/shared/tokens/limits.generated';
import { attributesSchema, REASON_BIDI, reasonSchema, roomArnSchema, userIdSchema } from '@/lib/shared/tokens/schema';
import { bidiProblem, codePointLength, hasVisibleText, textProblem } from '@/lib/shared/text';

/**
 * Schemas for moderation (DisconnectUser, DeleteMessage, SendEvent), the deny list and mint
 * presets: shared by the forms and the server actions, like the mint schema. Limits come from the
 * service model (eventName 1-100, message id 12 alphanumerics, reason 1-256).
 */
const EVENT_NAME = MODEL_LIMITS.eventName;
const MESSAGE_ID = MODEL_LIMITS.messageId;
const REASON = MODEL_LIMITS.reason;

/** A moderation reason: required here (the audit log keeps it and the service passes it to clients). */
export const moderationReasonSchema = z
  .string({ error: 'Enter a reason.' })
  .trim()
  .min(REASON.min, 'Enter a reason.')
  .max(REASON.max, `A reason is at most ${REASON.max} characters.`)
  .refine((s) => textProblem(s) === null, 'The reason contains a control character.')
  .refine((s) => bidiProblem(s) === null, REASON_BIDI)
  .refine((s) => hasVisibleText(s), 'Enter a reason (invisible characters alone are not one).');

/**
 * Where a moderation action was taken: the moderation forms ('ui') or the mint page's test
 * connection ('connect-here'); the audit entry's source. Both go through the same server action.
 */
export const moderationSourceSchema = z.enum(['ui', 'connect-here'], { error: 'The source is ui or connect-here.' }).default('ui');

export const disconnectUserSchema = z.object({
  roomArn: roomArnSchema,
  userId: userIdSchema,
  reason: moderationReasonSchema,
  source: moderationSourceSchema,
});
export type DisconnectUserInput = z.output<typeof disconnectUserSchema>;

export const deleteMessageSchema = z.object({
  roomArn: roomArnSchema,
  messageId: z
    .string({ error: 'Enter the message id.' })
    .trim()
    .regex(new RegExp(MESSAGE_ID.pattern), `A message id is ${MESSAGE_ID.min} letters and digits (the Id of the received message).`)
    .length(MESSAGE_ID.min, `A message id is ${MESSAGE_ID.min} letters and digits (the Id of the received message).`),
  reason: moderationReasonSchema,
  source: moderationSourceSchema,
  /** The message's sender as the test connection received it, so the entry is found under that userId. */
  senderUserId: z.optional(userIdSchema),
});
export type DeleteMessageInput = z.output<typeof deleteMessageSchema>;

export const sendEventSchema = z.object({
  roomArn: roomArnSchema,
  eventName: z
    .string({ error: 'Enter an event name.' })
    .trim()
    .min(EVENT_NAME.min, 'Enter an event name.')
    .refine((s) => codePointLength(s) <= EVENT_NAME.max, `An event name is at most ${EVENT_NAME.max} characters.`)
    .refine((s) => textProblem(s) === null, 'The event name contains a control character.')
    .refine((s) => bidiProblem(s) === null, 'The event name contains a bidirectional control character.')
    // Names starting with aws: are the service's own events (aws:DELETE_MESSAGE, aws:DISCONNECT_USER).
    .refine((s) => !s.toLowerCase().startsWith('aws:'), 'Names starting with aws: are reserved for the service.'),
  attributes: z._default(attributesSchema, []),
  reason: z._default(z.optional(reasonSchema), ''),
});
export type SendEventInput = z.output<typeof sendEventSchema>;

/** `2030-01-02T03:04` (a `datetime-local` value) with no zone: UTC, like every time the console shows. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * An end time: an ISO string with its zone, or date and time without one, read as UTC (never as the
 * browser's or the server's local time, which would differ); empty = no end. Must be in the future.
 */
const optionalEndTime = z
  .string()
  .trim()
  .optional()
  .default('')
  .transform((s, ctx) => {
    if (s === '') return null;
    const t = Date.parse(ZONELESS.test(s) ? `${s.replace(' ', 'T')}Z` : s);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'Not a date and time.' });
      return z.NEVER;
    }
    if (t <= Date.now()) {
      ctx.addIssue({ code: 'custom', message: 'The end time is in the past.' });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  });

export const denylistEntrySchema = z.object({
  userId: userIdSchema,
  /** Empty: every room. */
  roomArn: z
    .union([z.literal(''), roomArnSchema])
    .optional()
    .default(''),
  reason: moderationReasonSchema,
  expiresAt: optionalEndTime,
  /** Also DisconnectUser now (needs a room). */
  disconnectNow: z.boolean().optional().default(false),
  source: moderationSourceSchema,
});

export const CONNECT_HERE_REASON_PREFIX = '[connect here] ';

/** The audited reason of a mint made for this browser's test connection (fits the reason limit). */
export function connectHereReason(reason: string): string {
  const room = REASON.max - CONNECT_HERE_REASON_PREFIX.length;
  let trimmed = '';
  // Whole code points only, within the schema's limit (counted in UTF-16 units).
  for (const ch of reason.trim()) {
    if (trimmed.length + ch.length > room) break;
    trimmed += ch;
  }
  return `${CONNECT_HERE_REASON_PREFIX}${trimmed || 'test connection from the console'}`;
}
