import 'server-only';

/** A failed IVS Chat call, in words a staff member can act on. */
export interface IvschatFailure {
  code: string;
  message: string;
  /** Form field the service blamed (from a ValidationException fieldList). */
  fieldErrors?: Record<string, string>;
  retryable: boolean;
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
}

export function describeIvschatError(err: unknown): IvschatFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const base = { httpStatus: status, requestId };
  switch (name) {
    case 'AccessDeniedException':
      return { ...base, code: name, retryable: false, message: "AWS refused the request: the console's credentials are not allowed to create chat tokens for this room (AccessDeniedException). Check the IAM policy." };
    case 'PendingVerification':
      return { ...base, code: name, retryable: false, message: 'The AWS account is pending verification, so IVS Chat will not issue tokens yet (PendingVerification). Try again once AWS has verified the account.' };
    case 'ResourceNotFoundException':
      return { ...base, code: name, retryable: false, message: `No such room in this region and account${e.resourceId ? ` (room id ${e.resourceId})` : ''}. It may have been deleted.`, fieldErrors: { roomArn: 'This room does not exist (ResourceNotFoundException).' } };
    case 'ValidationException': {
      const fieldErrors: Record<string, string> = {};
      for (const f of e.fieldList ?? []) {
        if (f.name) fieldErrors[FIELD_MAP[f.name] ?? f.name] = `AWS: ${f.message ?? 'invalid value'}`;
      }
      return { ...base, code: name, retryable: false, message: `AWS rejected the request as invalid: ${e.message ?? 'ValidationException'}`, fieldErrors };
    }
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return { ...base, code: 'ThrottlingException', retryable: true, message: 'AWS is throttling CreateChatToken (more than the account quota of requests per second). Wait a moment and try again.' };
    case 'TimeoutError':
    case 'RequestTimeout':
    case 'AbortError':
      return { ...base, code: 'Timeout', retryable: true, message: 'IVS Chat did not answer in time. No token was issued; try again.' };
  }
  const netCode = e.code ?? (err instanceof Error && 'code' in err ? String((err as { code?: unknown }).code) : undefined);
  if (netCode && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(netCode)) {
    return { ...base, code: 'NetworkError', retryable: true, message: `Could not reach IVS Chat (${netCode}). The outcome is unknown: if a token was issued, it was not delivered.` };
  }
  if ((status ?? 0) >= 500 || e.$fault === 'server') {
    return { ...base, code: name === 'Error' ? 'ServerError' : name, retryable: true, message: `IVS Chat had an internal error (HTTP ${status ?? '5xx'}). No token was issued; try again shortly.` };
  }
  return { ...base, code: name, retryable: false, message: `IVS Chat returned an unexpected error (${name}${status ? `, HTTP ${status}` : ''}).` };
}
