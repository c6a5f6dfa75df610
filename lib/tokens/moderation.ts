import { z } from 'zod';
import { MODEL_LIMITS } from './limits.generated';
import { attributesSchema, capabilitiesSchema, durationSchema, reasonSchema, roomArnSchema, userIdSchema } from './schema';
import { ROLES } from './roles';
import { codePointLength, textProblem } from './text';

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
  .refine((s) => textProblem(s) === null, 'The reason contains a control character.');

export const disconnectUserSchema = z.object({
  roomArn: roomArnSchema,
  userId: userIdSchema,
  reason: moderationReasonSchema,
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
    // Names starting with aws: are the service's own events (aws:DELETE_MESSAGE, aws:DISCONNECT_USER).
    .refine((s) => !s.toLowerCase().startsWith('aws:'), 'Names starting with aws: are reserved for the service.'),
  attributes: z._default(attributesSchema, []),
  reason: z._default(z.optional(reasonSchema), ''),
});
export type SendEventInput = z.output<typeof sendEventSchema>;
export type SendEventFormValues = z.input<typeof sendEventSchema>;

/** `datetime-local` text or an ISO string; empty = no end. Must be in the future. */
const optionalEndTime = z
  .string()
  .trim()
  .optional()
  .default('')
  .transform((s, ctx) => {
    if (s === '') return null;
    const t = Date.parse(s);
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
});
export type DenylistEntryInput = z.input<typeof denylistEntrySchema>;
export type DenylistEntryRequest = z.output<typeof denylistEntrySchema>;

export const presetSchema = z.object({
  name: z.string().trim().min(1, 'Name the preset.').max(80, 'A preset name is at most 80 characters.'),
  roles: z.array(z.enum(ROLES)).min(1, 'Choose at least one role.'),
  /** Empty: the form keeps its room. */
  roomArn: z
    .union([z.literal(''), roomArnSchema])
    .optional()
    .default(''),
  capabilities: z._default(capabilitiesSchema, []),
  sessionDurationInMinutes: durationSchema,
  attributes: z._default(attributesSchema, []),
  reasonTemplate: z._default(z.optional(reasonSchema), ''),
});
export type PresetInput = z.input<typeof presetSchema>;
export type PresetRequest = z.output<typeof presetSchema>;

/** A preset as the browser sees it. */
export interface Preset extends PresetRequest {
  id: string;
  updatedAt: string;
  updatedBy: string;
}

/** ERROR frame codes of the chat WebSocket, in words (IVSCHAT.md 3.5). */
export function describeChatError(code: number | undefined, message?: string): string {
  const detail = message ? ` (${message})` : '';
  switch (code) {
    case 400:
      return `The request was malformed or invalid${detail}.`;
    case 401:
      return 'The connection has expired: the session ended. The chat client reconnects with a fresh token.';
    case 403:
      return "This token's capabilities do not allow that action (403).";
    case 404:
      return 'The room no longer exists (404).';
    case 406:
      return 'The message was rejected by the room’s message review (406).';
    case 413:
      return `Too large: a field is over its limit (413)${detail}.`;
    case 429:
      return 'Rate limit: the room or this connection is sending too fast. Wait a moment (429).';
    case 500:
      return 'IVS Chat had an internal error (500). Try again.';
    default:
      return `The chat service refused the request${code ? ` (${code})` : ''}${detail}.`;
  }
}

/** The SDK's DisconnectReason, in words. */
export function describeDisconnectReason(reason: string | undefined): string {
  switch (reason) {
    case 'clientDisconnect':
      return 'You closed the connection.';
    case 'serverDisconnect':
      return 'The chat service closed the connection (a moderator disconnected this user, the session ended, or the room was deleted).';
    case 'socketError':
      return 'The connection could not be opened or broke, and retries with fresh tokens failed.';
    case 'fetchTokenError':
      return 'No token could be minted for the connection (see the error above).';
    default:
      return reason ? `Disconnected (${reason}).` : 'Disconnected.';
  }
}

/**
 * What `new ChatRoom({ regionOrUrl })` needs: the emulator's (or any override's) ws:// URL, or the
 * room's region for real AWS (the SDK builds wss://edge.ivschat.<region>.amazonaws.com).
 */
export function chatRegionOrUrl(endpoint: string | null, roomArn: string): string {
  if (endpoint) return endpoint.replace(/^http(s?):\/\//, (_m, s: string) => `ws${s}://`).replace(/\/$/, '');
  return roomArn.split(':')[3] ?? 'us-east-1';
}

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
