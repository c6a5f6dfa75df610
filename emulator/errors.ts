import type { ServerResponse } from 'node:http';
import { errorStatus } from './model';
import type { AuthFailure, AuthFailureKind } from './sigv4';
import { validationMessage, type FieldError } from './validate';

/**
 * Every failure the control plane can produce, in one place, so the wire format (status from the
 * model, `x-amzn-ErrorType`, JSON body with `message` + modelled members) cannot drift per operation.
 */
export class ApiError extends Error {
  readonly type: string;
  readonly status: number;
  readonly members: Record<string, unknown>;

  constructor(type: string, message: string, members: Record<string, unknown> = {}, status?: number) {
    super(message);
    this.type = type;
    this.status = status ?? errorStatus(type) ?? 400;
    this.members = members;
  }
}

export function validationError(fields: FieldError[]): ApiError {
  return new ApiError('ValidationException', validationMessage(fields), {
    reason: 'FIELD_VALIDATION_FAILED',
    fieldList: fields,
  });
}

export function validationOther(message: string): ApiError {
  return new ApiError('ValidationException', message, { reason: 'OTHER' });
}

export function unknownOperation(method: string, path: string): ApiError {
  return new ApiError('ValidationException', `No operation matches ${method} ${path}`, {
    reason: 'UNKNOWN_OPERATION',
  });
}

/** The model's ResourceType enum only has ROOM, so AWS uses it even for logging configurations. */
export function notFound(resourceId: string, what = 'Resource'): ApiError {
  return new ApiError('ResourceNotFoundException', `${what} not found: ${resourceId}`, {
    resourceId,
    resourceType: 'ROOM',
  });
}

export function conflict(resourceId: string, message: string): ApiError {
  return new ApiError('ConflictException', message, { resourceId, resourceType: 'ROOM' });
}

/** The model's ThrottlingException (429, limit = the quota that was hit). */
export function throttling(resourceId: string, limit: number): ApiError {
  return new ApiError('ThrottlingException', 'Rate exceeded', { resourceId, resourceType: 'ROOM', limit });
}

export function quotaExceeded(resourceId: string, limit: number, message: string): ApiError {
  return new ApiError('ServiceQuotaExceededException', message, { resourceId, resourceType: 'ROOM', limit });
}

/**
 * SigV4 failures on the IVS Chat API. IVS Chat does not document these; the names, statuses and
 * texts are the ones AWS's restJson1 services return, so SDK error handling keyed on them works
 * (the SDK refreshes credentials on ExpiredTokenException, corrects its clock on a skew error).
 */
const AUTH_TYPES: Record<AuthFailureKind, string> = {
  missing: 'MissingAuthenticationTokenException',
  unknownKey: 'UnrecognizedClientException',
  badSignature: 'InvalidSignatureException',
  skew: 'InvalidSignatureException',
  scope: 'InvalidSignatureException',
  expired: 'ExpiredTokenException',
};

export function authError(f: AuthFailure): ApiError {
  return new ApiError(AUTH_TYPES[f.kind], f.message, {}, 403);
}

/** A plain 500 with no modelled type, for the fault switch's "InternalServerError". */
export function plainInternalError(): ApiError {
  return new ApiError('InternalServerError', 'Internal server error', {}, 500);
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('InternalServerException', 'Internal server error');
}

export function writeError(res: ServerResponse, err: ApiError, requestId: string): void {
  const body = JSON.stringify({ message: err.message, ...err.members });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
  };
  // A plain 500 carries no error type so clients see an unmodelled server failure.
  if (err.type !== 'InternalServerError') headers['x-amzn-ErrorType'] = err.type;
  res.writeHead(err.status, headers);
  res.end(body);
}
