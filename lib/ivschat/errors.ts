import 'server-only';
import { fail, type Failure, type FailureExtra } from '@/lib/contract/result';

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

/** The IVS Chat operations the console calls; each failure is told in the words of its operation. */
export type IvschatOperation = 'CreateChatToken' | 'DisconnectUser' | 'DeleteMessage' | 'SendEvent' | 'ListRooms' | 'GetRoom';

interface OperationWords {
  /** What the operation's IAM action lets the console do, for AccessDeniedException. */
  allowed: string;
  /** What did not happen, said when AWS refused or the request was never sent. Empty for reads. */
  notDone: string;
  /** What may have happened when the answer was lost after sending; null for reads (nothing to happen). */
  mayHaveHappened: string | null;
  /** Sending the same request again after an unknown outcome does no harm. */
  safeToRepeat: boolean;
  /** The operation's quota, from the IVS Chat service quotas (reference/IVSCHAT.md). */
  quota: string;
  /** The SDK's member names mapped to the console's form fields (for a ValidationException fieldList). */
  fields: Record<string, string>;
}

const WORDS: Record<IvschatOperation, OperationWords> = {
  CreateChatToken: {
    allowed: 'create chat tokens for this room',
    notDone: 'No token was issued.',
    mayHaveHappened: 'if a token was issued, it was not delivered.',
    safeToRepeat: false,
    quota: 'the account quota of 200 requests per second',
    fields: {
      roomIdentifier: 'roomArn',
      userId: 'userId',
      capabilities: 'capabilities',
      sessionDurationInMinutes: 'sessionDurationInMinutes',
      attributes: 'attributes',
    },
  },
  DisconnectUser: {
    allowed: 'disconnect users in this room',
    notDone: 'Nothing was changed: nobody was disconnected.',
    mayHaveHappened: 'the user may or may not have been disconnected (outcome unknown). Disconnecting again does no harm.',
    safeToRepeat: true,
    quota: 'the account quota of 100 per second',
    fields: { roomIdentifier: 'roomArn', userId: 'userId', reason: 'reason' },
  },
  DeleteMessage: {
    allowed: 'delete messages in this room',
    notDone: 'Nothing was changed: no message was deleted.',
    mayHaveHappened: 'the message may or may not have been deleted (outcome unknown). Deleting again does no harm.',
    safeToRepeat: true,
    quota: 'the account quota of 100 per second',
    fields: { roomIdentifier: 'roomArn', id: 'messageId', reason: 'reason' },
  },
  SendEvent: {
    allowed: 'send events to this room',
    notDone: 'Nothing was changed: no event was sent.',
    mayHaveHappened: 'the event may or may not have reached the room (outcome unknown); sending it again may deliver it twice.',
    safeToRepeat: false,
    quota: 'the account quota of 100 per second',
    fields: { roomIdentifier: 'roomArn', eventName: 'eventName', attributes: 'attributes' },
  },
  ListRooms: {
    allowed: 'list the rooms of this region',
    notDone: '',
    mayHaveHappened: null,
    safeToRepeat: true,
    quota: 'the account quota of 5 room operations per second',
    fields: {},
  },
  GetRoom: {
    allowed: 'read this room',
    notDone: '',
    mayHaveHappened: null,
    safeToRepeat: true,
    quota: 'the account quota of 5 room operations per second',
    fields: { identifier: 'roomArn' },
  },
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

const sentence = (...parts: string[]) => parts.filter(Boolean).join(' ');

/**
 * A failed IVS Chat call in the words of its operation. "Outcome unknown" is said only when the
 * request may have reached AWS and the operation changes something; a call that was never sent
 * (connection refused, a connect timeout) says that nothing was done.
 */
export function describeIvschatError(err: unknown, operation: IvschatOperation = 'CreateChatToken'): IvschatFailure {
  const words = WORDS[operation];
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const base = { httpStatus: status, requestId };
  switch (name) {
    case 'AccessDeniedException':
      return {
        ...base,
        code: name,
        retryable: false,
        message: sentence(
          `AWS refused ${operation}: the console's credentials are not allowed to ${words.allowed} (IAM action ivschat:${operation}, AccessDeniedException).`,
          words.notDone,
          'Check the IAM policy.',
        ),
      };
    case 'PendingVerification':
      return {
        ...base,
        code: name,
        retryable: false,
        message: sentence(
          `The AWS account is pending verification, so IVS Chat refused ${operation} (PendingVerification).`,
          words.notDone,
          'Try again once AWS has verified the account.',
        ),
      };
    case 'ResourceNotFoundException':
      return {
        ...base,
        code: name,
        retryable: false,
        message: sentence(
          `No such room in this region and account${e.resourceId ? ` (room id ${e.resourceId})` : ''}. It may have been deleted.`,
          words.notDone,
        ),
        fieldErrors: { roomArn: 'This room does not exist (ResourceNotFoundException).' },
      };
    case 'ValidationException': {
      const fieldErrors: Record<string, string> = {};
      for (const f of e.fieldList ?? []) {
        if (f.name) fieldErrors[words.fields[f.name] ?? f.name] = `AWS: ${f.message ?? 'invalid value'}`;
      }
      return {
        ...base,
        code: name,
        retryable: false,
        message: sentence(`AWS rejected the request as invalid (${operation}): ${e.message ?? 'ValidationException'}`, words.notDone),
        fieldErrors,
      };
    }
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return {
        ...base,
        code: 'ThrottlingException',
        retryable: true,
        message: sentence(`AWS is throttling ${operation} (more than ${words.quota}).`, words.notDone, 'Wait a moment and try again.'),
      };
  }
  // A read changes nothing, so a lost answer is only a failed read.
  const unknown = isOutcomeUnknown(err) && words.mayHaveHappened !== null;
  const lost = (what: string) =>
    ({ ...base, retryable: words.safeToRepeat, outcomeUnknown: true, message: `${what}: ${words.mayHaveHappened}` }) as const;
  const netCode = errorCode(err, e);
  // @smithy/node-http-handler renames a reset or broken pipe to TimeoutError, keeping the code;
  // its own request timeout carries ETIMEDOUT.
  const lostConnection =
    netCode !== undefined &&
    netCode !== 'ETIMEDOUT' &&
    (NOT_SENT_CODES.has(netCode) || LOST_ANSWER_CODES.has(netCode) || netCode.startsWith('UND_ERR'));
  if (lostConnection) {
    if (unknown) return { ...lost(`The connection to IVS Chat was lost (${netCode}) after ${operation} was sent`), code: 'NetworkError' };
    const sent = !NOT_SENT_CODES.has(netCode);
    return {
      ...base,
      code: 'NetworkError',
      retryable: true,
      message: sent
        ? `The connection to IVS Chat was lost (${netCode}) before ${operation} answered. Try again.`
        : sentence(`Could not reach IVS Chat (${netCode}), so ${operation} was not sent.`, words.notDone, 'Try again.'),
    };
  }
  if (TIMEOUT_NAMES.has(name) || netCode === 'ETIMEDOUT') {
    if (unknown) return { ...lost(`IVS Chat did not answer ${operation} in time, and the request may have reached it`), code: 'Timeout' };
    const sent = isOutcomeUnknown(err);
    return {
      ...base,
      code: 'Timeout',
      retryable: true,
      message: sent
        ? `IVS Chat did not answer ${operation} in time. Try again.`
        : sentence(`IVS Chat could not be reached in time, so ${operation} was not sent.`, words.notDone, 'Try again.'),
    };
  }
  if (unknown) return { ...lost(`IVS Chat's answer to ${operation} was lost (${name}${status ? `, HTTP ${status}` : ''})`), code: name };
  if ((status ?? 0) >= 500 || e.$fault === 'server') {
    return {
      ...base,
      code: name === 'Error' ? 'ServerError' : name,
      retryable: true,
      // A 5xx is an answer: CreateChatToken's audit row is then 'failed'. For the other calls AWS
      // does not say whether anything happened, so the words do not claim it.
      message: sentence(
        `IVS Chat had an internal error (HTTP ${status ?? '5xx'}) on ${operation}.`,
        operation === 'CreateChatToken' ? words.notDone : '',
        'Try again shortly.',
      ),
    };
  }
  return {
    ...base,
    code: name,
    retryable: false,
    message: `IVS Chat returned an unexpected error to ${operation} (${name}${status ? `, HTTP ${status}` : ''}).`,
  };
}

/** An IVS Chat failure in the one result contract: `code` the category, `awsCode` the exception or transport cause. */
export function ivschatFailure(error: IvschatFailure, extra: FailureExtra = {}): Failure {
  return fail(error.outcomeUnknown ? 'AWS_OUTCOME_UNKNOWN' : 'AWS_ERROR', error.message, {
    awsCode: error.code,
    retryable: error.retryable,
    fieldErrors: error.fieldErrors,
    ...extra,
  });
}
