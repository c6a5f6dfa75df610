/**
 * The one result contract (DESIGN.md, "One contract"): every server action, route handler and bulk
 * row answers `{ ok: true, data }` or a `Failure` of this one shape. `code` is always the console's
 * category; `awsCode` carries the AWS exception name when AWS answered. Client-safe: no server
 * imports, so browser code narrows on the same union.
 */

/** The console's failure categories. /api/v1 documents these codes and their statuses (lib/api/openapi.ts). */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  /** Something that existed once and is no longer kept (a bulk job's tokens after their one download). */
  'GONE',
  'RATE_LIMITED',
  'AWS_ERROR',
  'AWS_OUTCOME_UNKNOWN',
  'AUDIT_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The codes that mean "AWS answered, or may have": the only ones that carry `awsCode`. */
export const AWS_ERROR_CODES: readonly ErrorCode[] = ['AWS_ERROR', 'AWS_OUTCOME_UNKNOWN'];

/** Field path (`userId`, `attributes.0.key`, `form` for the whole input) to a sentence for that field. */
export type FieldErrors = Record<string, string>;

export interface Failure {
  ok: false;
  code: ErrorCode;
  /** A sentence for people: what happened and what to do. Never a stack trace or a secret. */
  message: string;
  /** Always present, possibly empty. */
  fieldErrors: FieldErrors;
  /** The policy rule that refused (`roles.qa.maxSessionMinutes`, `denylist`, `rateLimits.mintPerStaff`). */
  rule?: string;
  /** The AWS exception name (`ThrottlingException`) or transport cause (`Timeout`, `NetworkError`). */
  awsCode?: string;
  /** True when the same request may succeed later unchanged. */
  retryable?: boolean;
  /** The audit entry of the attempt, when one was written. */
  auditId?: string;
  retryAfterSeconds?: number;
}

export type Success<T> = { ok: true; data: T };
export type Result<T> = Success<T> | Failure;

export type FailureExtra = Partial<Omit<Failure, 'ok' | 'code' | 'message'>>;

export function fail(code: ErrorCode, message: string, extra: FailureExtra = {}): Failure {
  const { fieldErrors, ...rest } = extra;
  const out: Failure = { ok: false, code, message, fieldErrors: fieldErrors ?? {} };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

export function ok<T>(data: T): Success<T> {
  return { ok: true, data };
}

export function isFailure(value: unknown): value is Failure {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { ok?: unknown }).ok === false &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as { code: string }).code) &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { fieldErrors?: unknown }).fieldErrors === 'object'
  );
}

/** A zod (classic or mini) error's issues as field errors: the first message per path. */
export function fieldErrorsFromIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) out[issue.path.map(String).join('.') || 'form'] ??= issue.message;
  return out;
}

export function invalidInput(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Failure {
  return fail('INVALID_INPUT', 'Some fields need attention.', { fieldErrors: fieldErrorsFromIssues(issues) });
}

export const SESSION_ENDED: Failure = Object.freeze(fail('UNAUTHENTICATED', 'Your session has ended. Sign in again.')) as Failure;
