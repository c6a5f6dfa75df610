import 'server-only';

/** A failed IVS Chat call, in words a staff member can act on. */
export interface IvschatFailure {
  code: string;
  message: string;
  /** Form field the service blamed (from a ValidationException fieldList). */
  fieldErrors?: Record<string, string>;
  retryable: boolean;
  /**
   * The request may have reached IVS Chat but no answer came back (a request timeout, a connection
   * reset after sending). CreateChatToken is not idempotent, so such a call is never retried: a
   * retry could issue a second token that no audit row records.
   */
  outcomeUnknown?: boolean;
  httpStatus?: number;
  requestId?: string;
}

// The SDK's member names for CreateChatToken, mapped to the form's fields.
const FIELD_MAP: Record<string, string> = {
  roomIdentifier: 'roomArn',
  userId: 'userId',
  capabilities: 'capabilities',
  sessionDurationInMinutes: 'sessionDurationInMinutes',
  attributes: 'attributes',
};

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: string;
  fieldList?: { name?: string; message?: string }[];
  resourceId?: string;
  $response?: unknown;
}

/** Network errors that prove the request never left this host: nothing can have been issued. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Transport failures after which the request may or may not have been received. */
const LOST_ANSWER_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'AbortError']);
// @smithy/node-http-handler's connectionTimeout: the socket never connected, so nothing was sent.
// Matched by its text; if that text ever changes, such a timeout is treated as unknown (never
// retried), which is the safe side.
const CONNECT_TIMEOUT_TEXT = /did not establish a connection/;

function errorCode(err: unknown, e: SdkErrorLike): string | undefined {
  return e.code ?? (err instanceof Error && 'code' in err ? String((err as { code?: unknown }).code) : undefined);
}

/**
 * True when a call failed in transport without an answer, after the request may have reached the
 * service: a request timeout, a connection reset or dropped after sending. Errors that carry an
 * HTTP error response (throttling, 5xx, 4xx) are answers; connection refused, DNS failures and
 * a connect timeout prove nothing was sent. An answer cut off after a 2xx status is unknown too.
 */
export function isOutcomeUnknown(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as SdkErrorLike;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 200 && status < 300;
  if (e.$response !== undefined) return false;
  const code = errorCode(err, e);
  if (code && NOT_SENT_CODES.has(code)) return false;
  if (CONNECT_TIMEOUT_TEXT.test(e.message ?? '')) return false;
  return TIMEOUT_NAMES.has(e.name ?? '') || (code !== undefined && (LOST_ANSWER_CODES.has(code) || code.startsWith('UND_ERR')));
}

export function describeIvschatError(err: unknown): IvschatFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const base = { httpStatus: status, requestId };
  switch (name) {
    case 'RegionNotConfiguredError':
      // Thrown by ivschatClient before any client or request exists (client.ts).
      return { code: 'RegionNotConfigured', retryable: false, message: e.message ?? '', fieldErrors: { roomArn: e.message ?? '' } };
    case 'AccessDeniedException':
      return {
        ...base,
        code: name,
        retryable: false,
        message:
          "AWS refused the request: the console's credentials are not allowed to create chat tokens for this room (AccessDeniedException). Check the IAM policy.",
      };
    case 'PendingVerification':
      return {
        ...base,
        code: name,
        retryable: false,
        message:
          'The AWS account is pending verification, so IVS Chat will not issue tokens yet (PendingVerification). Try again once AWS has verified the account.',
      };
    case 'ResourceNotFoundException':
      return {
        ...base,
        code: name,
        retryable: false,
        message: `No such room in this region and account${e.resourceId ? ` (room id ${e.resourceId})` : ''}. It may have been deleted.`,
        fieldErrors: { roomArn: 'This room does not exist (ResourceNotFoundException).' },
      };
    case 'ValidationException': {
      const fieldErrors: Record<string, string> = {};
      for (const f of e.fieldList ?? []) {
        if (f.name) fieldErrors[FIELD_MAP[f.name] ?? f.name] = `AWS: ${f.message ?? 'invalid value'}`;
      }
      return {
        ...base,
        code: name,
        retryable: false,
        message: `AWS rejected the request as invalid: ${e.message ?? 'ValidationException'}`,
        fieldErrors,
      };
    }
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return {
        ...base,
        code: 'ThrottlingException',
        retryable: true,
        message: 'AWS is throttling CreateChatToken (more than the account quota of requests per second). Wait a moment and try again.',
      };
  }
  const unknown = isOutcomeUnknown(err);
  const netCode = errorCode(err, e);
  // @smithy/node-http-handler renames a reset or broken pipe to TimeoutError, keeping the code;
  // its own request timeout carries ETIMEDOUT.
  const lostConnection =
    netCode !== undefined &&
    netCode !== 'ETIMEDOUT' &&
    (NOT_SENT_CODES.has(netCode) || LOST_ANSWER_CODES.has(netCode) || netCode.startsWith('UND_ERR'));
  if (lostConnection) {
    return unknown
      ? {
          ...base,
          code: 'NetworkError',
          retryable: false,
          outcomeUnknown: true,
          message: `The connection to IVS Chat was lost (${netCode}) after the request was sent: if a token was issued, it was not delivered.`,
        }
      : {
          ...base,
          code: 'NetworkError',
          retryable: true,
          message: `Could not reach IVS Chat (${netCode}). No token was issued; try again.`,
        };
  }
  if (TIMEOUT_NAMES.has(name) || netCode === 'ETIMEDOUT') {
    return unknown
      ? {
          ...base,
          code: 'Timeout',
          retryable: false,
          outcomeUnknown: true,
          message: 'IVS Chat did not answer in time, and the request may have reached it: if a token was issued, it was not delivered.',
        }
      : { ...base, code: 'Timeout', retryable: true, message: 'IVS Chat could not be reached in time. No token was issued; try again.' };
  }
  if (unknown) {
    return {
      ...base,
      code: name,
      retryable: false,
      outcomeUnknown: true,
      message: `IVS Chat's answer was lost (${name}${status ? `, HTTP ${status}` : ''}): if a token was issued, it was not delivered.`,
    };
  }
  if ((status ?? 0) >= 500 || e.$fault === 'server') {
    return {
      ...base,
      code: name === 'Error' ? 'ServerError' : name,
      retryable: true,
      message: `IVS Chat had an internal error (HTTP ${status ?? '5xx'}). No token was issued; try again shortly.`,
    };
  }
  return {
    ...base,
    code: name,
    retryable: false,
    message: `IVS Chat returned an unexpected error (${name}${status ? `, HTTP ${status}` : ''}).`,
  };
}
