import { fieldErrorsFromIssues, type FieldErrors } from '@/lib/contract/result';
import {
  _default,
  array,
  enum as zEnum,
  int,
  maxLength,
  minLength,
  object,
  optional,
  pipe,
  refine,
  regex,
  string,
  superRefine,
  transform,
  trim,
  gte,
  lte,
  type output,
} from 'zod/mini';
import type { $ZodError } from 'zod/v4/core';
import { type AttributeRow, attributesByteSize, attributesToRows } from '@/lib/shared/tokens/attributes';
import {
  ATTRIBUTES_MAX_BYTES,
  CAPABILITIES,
  DEFAULT_SESSION_MINUTES,
  DURATION_LIMITS,
  REASON_LIMITS,
  ROOM_ARN_LIMITS,
  ROOM_ARN_PATTERN,
  USER_ID_LIMITS,
} from '@/lib/shared/tokens/limits';
import { checkMintRequest, type RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import { bidiProblem, codePointLength, hasVisibleText, textProblem } from '@/lib/shared/text';

/**
 * One schema for a mint request, used by react-hook-form in the browser, by the server action and
 * by the HTTP API. Attributes are rows (the editor's shape); a plain object is accepted too and
 * turned into rows, so API callers can send `{"attributes": {"k": "v"}}`.
 *
 * Written with zod/mini (the same zod core, function-style checks) because the mint page ships it
 * to the browser: zod's full API is ~31 KB gzip there, most of it unused. Every way a value can fail
 * carries its own message, so the browser (where mini loads no locale) and the server say the same.
 * Schemas built with `zod` (classic) may embed these; use `_default(schema, v)` / `optional(schema)`
 * there instead of the methods mini schemas do not have.
 */
export const roomArnSchema = string({ error: 'Choose a room or paste its ARN.' }).check(
  trim(),
  minLength(ROOM_ARN_LIMITS.min, 'Choose a room or paste its ARN.'),
  maxLength(ROOM_ARN_LIMITS.max, `A room ARN is at most ${ROOM_ARN_LIMITS.max} characters.`),
  regex(ROOM_ARN_PATTERN, 'Not a room ARN. Expected arn:aws:ivschat:<region>:<account>:room/<id>.'),
);

export const userIdSchema = string({ error: 'Enter a userId.' }).check(
  superRefine((value: string, ctx) => {
    const length = codePointLength(value);
    if (length < USER_ID_LIMITS.min) ctx.addIssue({ code: 'custom', message: 'Enter a userId.' });
    else if (length > USER_ID_LIMITS.max)
      ctx.addIssue({ code: 'custom', message: `userId is ${length} characters; the limit is ${USER_ID_LIMITS.max}.` });
    const problem = textProblem(value) ?? bidiProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `userId ${problem}.` });
  }),
);

/**
 * The userId of a new token: as above, and no white space at either end. IVS keeps a userId
 * exactly as sent, so `" ann "` would be a different user from `ann` that reads the same on every
 * screen and in every chat client. Existing userIds (moderation, lookups) keep `userIdSchema`: a
 * user minted before this rule must still be reachable exactly.
 */
export function userIdEdgeProblem(value: string): string | null {
  const starts = /^\s/u.test(value);
  const ends = /\s$/u.test(value);
  if (!starts && !ends) return null;
  const blank = starts ? value.match(/^\s/u)![0] : value.match(/\s$/u)![0];
  const what = blank === ' ' ? 'a space' : `white space (U+${blank.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
  const where = starts && ends ? 'starts and ends' : starts ? 'starts' : 'ends';
  return `userId ${where} with ${what}. A userId is kept exactly, so it would be a different user from the one without it; remove the space.`;
}

export const mintUserIdSchema = userIdSchema.check(
  superRefine((value: string, ctx) => {
    const problem = userIdEdgeProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

const ATTRIBUTES_SHAPE = 'Attributes must be key-value pairs of text.';
const attributeRowSchema = object(
  { key: string({ error: ATTRIBUTES_SHAPE }), value: string({ error: ATTRIBUTES_SHAPE }) },
  { error: ATTRIBUTES_SHAPE },
);

export const attributesSchema = pipe(
  transform((input: unknown) =>
    input && typeof input === 'object' && !Array.isArray(input) ? attributesToRows(input as Record<string, string>) : (input ?? []),
  ),
  array(attributeRowSchema, { error: ATTRIBUTES_SHAPE }),
).check(
  superRefine((rows: AttributeRow[], ctx) => {
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
  }),
);

const CAPABILITY_ERROR = `A capability is one of ${CAPABILITIES.join(', ')}.`;
export const capabilitiesSchema = array(zEnum(CAPABILITIES, { error: CAPABILITY_ERROR }), {
  error: `Capabilities are a list of ${CAPABILITIES.join(', ')}.`,
}).check(refine((list: string[]) => new Set(list).size === list.length, 'Each capability may be listed once.'));

const WHOLE_MINUTES = 'Session duration is a whole number of minutes.';
// int() is a number that must be a (safe) whole number: what classic zod's number().int() checks.
export const durationSchema = int({ error: WHOLE_MINUTES }).check(
  gte(DURATION_LIMITS.min, `Session duration is at least ${DURATION_LIMITS.min} minute.`),
  lte(DURATION_LIMITS.max, `Session duration is at most ${DURATION_LIMITS.max} minutes.`),
);

export const REASON_BIDI = 'The reason contains a bidirectional control character, which changes the order the text is shown in.';
export const REASON_INVISIBLE = 'The reason has no visible text (only spaces or invisible characters).';

export const reasonSchema = string({ error: 'A reason is text.' }).check(
  trim(),
  maxLength(REASON_LIMITS.max, `A reason is at most ${REASON_LIMITS.max} characters.`),
  refine((s: string) => textProblem(s.replace(/[\n\t]/g, ' ')) === null, 'The reason contains a control character.'),
  refine((s: string) => bidiProblem(s) === null, REASON_BIDI),
  // Optional, but when typed it must say something: invisible characters alone are not a reason.
  refine((s: string) => s === '' || hasVisibleText(s), REASON_INVISIBLE),
);

export const mintTokenSchema = object(
  {
    roomArn: roomArnSchema,
    userId: mintUserIdSchema,
    attributes: _default(attributesSchema, []),
    capabilities: _default(capabilitiesSchema, []),
    sessionDurationInMinutes: _default(durationSchema, DEFAULT_SESSION_MINUTES),
    reason: _default(optional(reasonSchema), ''),
  },
  { error: 'A mint request is an object with roomArn and userId.' },
);

export type MintTokenRequest = output<typeof mintTokenSchema>;

/** Field errors keyed by the form's field path (`attributes.2.key`), for setError and the API. */
export type { FieldErrors };

export function fieldErrorsFrom(error: $ZodError): FieldErrors {
  return fieldErrorsFromIssues(error.issues);
}

/**
 * The mint schema with the role's policy on top, for the form's resolver: the same rules the
 * server enforces, shown as field errors before anything is sent.
 */
export function mintSchemaForRole(role: Role, policy: RolePolicy) {
  return mintTokenSchema.check(
    superRefine((request: MintTokenRequest, ctx) => {
      for (const refusal of checkMintRequest(role, policy, request)) {
        ctx.addIssue({ code: 'custom', path: refusal.field ? [refusal.field] : [], message: refusal.message });
      }
    }),
  );
}
