import 'server-only';
import type { ErrorCode, Failure } from './result';

/**
 * The HTTP side of the one contract: every route handler answers a failure with
 * `failureResponse`, so the status, the body and the headers of a failure are decided here once.
 * The statuses are the ones /api/v1 documents (lib/api/openapi.ts); the body is the Failure itself.
 */

const STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  AWS_ERROR: 502,
  AWS_OUTCOME_UNKNOWN: 502,
  AUDIT_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A room AWS does not know and input AWS rejected are the caller's to fix; every other AWS failure is a 502. */
const AWS_CLIENT_STATUS: Record<string, number> = { ResourceNotFoundException: 404, ValidationException: 400 };

/** How long to wait after AUDIT_UNAVAILABLE when the failure does not say. */
const DATABASE_RETRY_SECONDS = 5;

export const BEARER_REALM = 'Bearer realm="ivs-chat-console"';

export function failureStatus(failure: Failure): number {
  if (failure.code === 'AWS_ERROR') return AWS_CLIENT_STATUS[failure.awsCode ?? ''] ?? STATUS.AWS_ERROR;
  return STATUS[failure.code];
}

/** JSON that is never cached: responses of this console carry tokens, keys or audit data. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

/** The headers a failure implies: Retry-After when waiting helps, WWW-Authenticate on an API-key route's 401. */
export function failureHeaders(failure: Failure, options: { bearer?: Request } = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  if (failure.code === 'RATE_LIMITED') headers['Retry-After'] = String(failure.retryAfterSeconds ?? 1);
  if (failure.code === 'AUDIT_UNAVAILABLE') headers['Retry-After'] = String(failure.retryAfterSeconds ?? DATABASE_RETRY_SECONDS);
  if (failure.code === 'UNAUTHENTICATED' && options.bearer) {
    // RFC 6750: a request that sent credentials which were refused is told invalid_token.
    headers['WWW-Authenticate'] = options.bearer.headers.has('authorization') ? `${BEARER_REALM}, error="invalid_token"` : BEARER_REALM;
  }
  return headers;
}

export interface FailureResponseOptions {
  /** The request of a route that takes API keys: a 401 then carries WWW-Authenticate. */
  bearer?: Request;
  /** Members a route documents beside the Failure's own (`rowErrors`, `auditIds`, `tokens`). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function failureResponse(failure: Failure, options: FailureResponseOptions = {}): Response {
  const body = options.extra ? { ...options.extra, ...failure } : failure;
  return jsonResponse(body, failureStatus(failure), { ...failureHeaders(failure, options), ...options.headers });
}
