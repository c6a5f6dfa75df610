import 'server-only';
import { authenticateApiKey, type ApiKeyActor } from '@/lib/api-keys/store';
import { log } from '@/lib/log';
import type { MintResult } from '@/lib/mint/mint-token';
import type { FieldErrors } from '@/lib/shared/tokens/schema';

/**
 * The JSON error contract of /api/v1 (documented in lib/api/openapi.ts): a stable `code`, a
 * sentence for people, `fieldErrors` (always present, possibly empty) and, where they apply, the
 * policy `rule`, `retryAfterSeconds`, `awsCode`, `retryable` and the `auditId` of the attempt.
 */
export type ApiErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'AWS_ERROR'
  | 'AWS_OUTCOME_UNKNOWN'
  | 'AUDIT_UNAVAILABLE';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  fieldErrors: FieldErrors;
  rule?: string;
  retryAfterSeconds?: number;
  awsCode?: string;
  retryable?: boolean;
  auditId?: string;
  [extra: string]: unknown;
}

/** Every /api/v1 answer: JSON and never cached (token responses carry bearer credentials). */
export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

export function apiError(
  status: number,
  code: ApiErrorCode,
  message: string,
  extra: Partial<Omit<ApiErrorBody, 'code' | 'message'>> = {},
  headers: Record<string, string> = {},
): Response {
  const { fieldErrors, ...rest } = extra;
  const body: ApiErrorBody = { ...rest, code, message, fieldErrors: (fieldErrors as FieldErrors | undefined) ?? {} };
  return apiJson(body, status, headers);
}

const REALM = 'Bearer realm="ivs-chat-console"';

/**
 * Every /api/v1 handler calls this first (no middleware does it for them): the API key from
 * `Authorization: Bearer <key>`, read from the database on each request, or a 401 to return.
 */
export async function authenticateRequest(request: Request): Promise<{ ok: true; actor: ApiKeyActor } | { ok: false; response: Response }> {
  const header = request.headers.get('authorization');
  if (!header) {
    return {
      ok: false,
      response: apiError(401, 'UNAUTHENTICATED', 'Send an API key as Authorization: Bearer <key>.', {}, { 'WWW-Authenticate': REALM }),
    };
  }
  let actor: ApiKeyActor | null;
  try {
    actor = await authenticateApiKey(header);
  } catch (err) {
    log.error({ event: 'api.auth_failed', err: err instanceof Error ? err.message : String(err) }, 'API key lookup failed');
    return {
      ok: false,
      response: apiError(
        503,
        'AUDIT_UNAVAILABLE',
        'The console database could not be reached. Try again shortly.',
        { retryable: true },
        { 'Retry-After': '5' },
      ),
    };
  }
  if (!actor) {
    return {
      ok: false,
      response: apiError(
        401,
        'UNAUTHENTICATED',
        'The API key is not valid or has been revoked.',
        {},
        { 'WWW-Authenticate': `${REALM}, error="invalid_token"` },
      ),
    };
  }
  return { ok: true, actor };
}

export const MAX_BODY_BYTES = 256 * 1024;

// fatal: invalid bytes throw instead of turning into U+FFFD; ignoreBOM false drops a leading BOM.
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * The request's JSON body, refused early when it is not JSON (415), larger than MAX_BODY_BYTES
 * (413, counted as it streams, whatever Content-Length claims) or malformed (400).
 */
export async function readJsonBody(
  request: Request,
  { maxBytes = MAX_BODY_BYTES }: { maxBytes?: number } = {},
): Promise<{ ok: true; body: unknown; text: string } | { ok: false; response: Response }> {
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return { ok: false, response: apiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.') };
  }
  const tooLarge = () => ({
    ok: false as const,
    response: apiError(
      413,
      'PAYLOAD_TOO_LARGE',
      `The body is larger than ${Math.floor(maxBytes / 1024)} KB. Split the batch into smaller requests.`,
    ),
  });
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge();
      }
      chunks.push(value);
    }
  }
  let text: string;
  try {
    text = utf8Strict.decode(Buffer.concat(chunks));
  } catch {
    // Buffer#toString would replace each bad byte with U+FFFD and mint for a userId nobody sent.
    return {
      ok: false,
      response: apiError(400, 'INVALID_INPUT', 'The body is not valid UTF-8.', { fieldErrors: { body: 'Not valid UTF-8.' } }),
    };
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown, text };
  } catch {
    return {
      ok: false,
      response: apiError(400, 'INVALID_INPUT', 'The body is not valid JSON.', { fieldErrors: { body: 'Not valid JSON.' } }),
    };
  }
}

/** Room not found and input rejected by AWS are the caller's to fix; every other AWS failure is a 502. */
const AWS_CLIENT_STATUS: Record<string, number> = { ResourceNotFoundException: 404, ValidationException: 400 };

export type MintFailure = Extract<MintResult, { ok: false }>;

/** The HTTP status for a failed mint (also used per item in a batch). */
export function mintFailureStatus(failure: MintFailure): number {
  switch (failure.code) {
    case 'INVALID_INPUT':
      return 400;
    case 'FORBIDDEN':
      return 403;
    case 'RATE_LIMITED':
      return 429;
    case 'AUDIT_UNAVAILABLE':
      return 503;
    case 'AWS_ERROR':
      return AWS_CLIENT_STATUS[failure.awsCode ?? ''] ?? 502;
    case 'AWS_OUTCOME_UNKNOWN':
      return 502;
  }
}

export function mintFailureBody(failure: MintFailure): ApiErrorBody {
  const body: ApiErrorBody = { code: failure.code, message: failure.message, fieldErrors: failure.fieldErrors ?? {} };
  if (failure.rule) body.rule = failure.rule;
  if (failure.retryAfterSeconds !== undefined) body.retryAfterSeconds = failure.retryAfterSeconds;
  if (failure.awsCode) body.awsCode = failure.awsCode;
  if (failure.retryable !== undefined) body.retryable = failure.retryable;
  if (failure.auditId) body.auditId = failure.auditId;
  return body;
}

/** An error body as a response, with Retry-After when waiting helps (429, 503). */
export function errorBodyResponse(status: number, body: ApiErrorBody): Response {
  const headers: Record<string, string> = {};
  if (body.code === 'RATE_LIMITED') headers['Retry-After'] = String(body.retryAfterSeconds ?? 1);
  if (body.code === 'AUDIT_UNAVAILABLE') headers['Retry-After'] = '5';
  return apiJson(body, status, headers);
}

export function mintFailureResponse(failure: MintFailure): Response {
  return errorBodyResponse(mintFailureStatus(failure), mintFailureBody(failure));
}
