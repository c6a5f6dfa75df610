import { z } from 'zod';
import { type AttributeRow, attributesByteSize, attributesToRows } from './attributes';
import {
  ATTRIBUTES_MAX_BYTES,
  CAPABILITIES,
  DEFAULT_SESSION_MINUTES,
  DURATION_LIMITS,
  REASON_LIMITS,
  ROOM_ARN_LIMITS,
  ROOM_ARN_PATTERN,
  USER_ID_LIMITS,
} from './limits';
import { codePointLength, textProblem } from './text';

/**
 * One schema for a mint request, used by react-hook-form in the browser, by the server action and
 * by the HTTP API. Attributes are rows (the editor's shape); a plain object is accepted too and
 * turned into rows, so API callers can send `{"attributes": {"k": "v"}}`.
 */
export const roomArnSchema = z
  .string({ error: 'Choose a room or paste its ARN.' })
  .trim()
  .min(ROOM_ARN_LIMITS.min, 'Choose a room or paste its ARN.')
  .max(ROOM_ARN_LIMITS.max, `A room ARN is at most ${ROOM_ARN_LIMITS.max} characters.`)
  .regex(ROOM_ARN_PATTERN, 'Not a room ARN. Expected arn:aws:ivschat:<region>:<account>:room/<id>.');

export const userIdSchema = z
  .string({ error: 'Enter a userId.' })
  .superRefine((value, ctx) => {
    const length = codePointLength(value);
    if (length < USER_ID_LIMITS.min) ctx.addIssue({ code: 'custom', message: 'Enter a userId.' });
    else if (length > USER_ID_LIMITS.max)
      ctx.addIssue({ code: 'custom', message: `userId is ${length} characters; the limit is ${USER_ID_LIMITS.max}.` });
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `userId ${problem}.` });
  });

const attributeRowSchema = z.object({ key: z.string(), value: z.string() });

export const attributesSchema = z
  .preprocess(
    (input) =>
      input && typeof input === 'object' && !Array.isArray(input)
        ? attributesToRows(input as Record<string, string>)
        : (input ?? []),
    z.array(attributeRowSchema, { error: 'Attributes must be key-value pairs of text.' }),
  )
  .superRefine((rows: AttributeRow[], ctx) => {
    const seen = new Map<string, number>();
    rows.forEach((row, i) => {
      if (row.key.length === 0) {
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'Enter a key or remove this row.' });
      } else if (seen.has(row.key)) {
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `Duplicate key "${row.key}" (also in row ${seen.get(row.key)! + 1}).` });
      } else {
        seen.set(row.key, i);
      }
      for (const part of ['key', 'value'] as const) {
        const problem = textProblem(row[part]);
        if (problem) ctx.addIssue({ code: 'custom', path: [i, part], message: `This ${part} ${problem}.` });
      }
    });
    const bytes = attributesByteSize(rows);
    if (bytes > ATTRIBUTES_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `Attributes are ${bytes} bytes; the limit is ${ATTRIBUTES_MAX_BYTES} bytes (UTF-8, keys and values).`,
      });
    }
  });

export const capabilitiesSchema = z
  .array(z.enum(CAPABILITIES, { error: `A capability is one of ${CAPABILITIES.join(', ')}.` }))
  .refine((list) => new Set(list).size === list.length, 'Each capability may be listed once.');

export const durationSchema = z
  .number({ error: 'Session duration is a whole number of minutes.' })
  .int('Session duration is a whole number of minutes.')
  .min(DURATION_LIMITS.min, `Session duration is at least ${DURATION_LIMITS.min} minute.`)
  .max(DURATION_LIMITS.max, `Session duration is at most ${DURATION_LIMITS.max} minutes.`);

export const reasonSchema = z
  .string()
  .trim()
  .max(REASON_LIMITS.max, `A reason is at most ${REASON_LIMITS.max} characters.`)
  .refine((s) => textProblem(s.replace(/[\n\t]/g, ' ')) === null, 'The reason contains a control character.');

export const mintTokenSchema = z.object({
  roomArn: roomArnSchema,
  userId: userIdSchema,
  attributes: attributesSchema.default([]),
  capabilities: capabilitiesSchema.default([]),
  sessionDurationInMinutes: durationSchema.default(DEFAULT_SESSION_MINUTES),
  reason: reasonSchema.optional().default(''),
});

export type MintTokenInput = z.input<typeof mintTokenSchema>;
export type MintTokenRequest = z.output<typeof mintTokenSchema>;

/** Field errors keyed by the form's field path (`attributes.2.key`), for setError and the API. */
export type FieldErrors = Record<string, string>;

export function fieldErrorsFrom(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || 'form';
    out[path] ??= issue.message;
  }
  return out;
}

export const MINT_DEFAULTS: MintTokenRequest = {
  roomArn: '',
  userId: '',
  attributes: [],
  capabilities: ['SEND_MESSAGE'],
  sessionDurationInMinutes: DEFAULT_SESSION_MINUTES,
  reason: '',
};
