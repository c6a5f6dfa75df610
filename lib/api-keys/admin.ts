import 'server-only';
import { fail, type ErrorCode, type Failure } from '@/lib/contract/result';
import { log } from '@/lib/log';
import { ApiKeyError, type ApiKeyErrorCode } from './store';

const API_KEY_ERRORS: Record<ApiKeyErrorCode, { code: ErrorCode; field?: string }> = {
  invalid_name: { code: 'INVALID_INPUT', field: 'name' },
  invalid_role: { code: 'INVALID_INPUT', field: 'role' },
  duplicate_name: { code: 'CONFLICT', field: 'name' },
  not_found: { code: 'NOT_FOUND' },
};

/** ApiKeyError messages are written for people; anything else stays on the server. */
export function apiKeyFailure(err: unknown): Failure {
  if (err instanceof ApiKeyError) {
    const { code, field } = API_KEY_ERRORS[err.code];
    return fail(code, err.message, { fieldErrors: field ? { [field]: err.message } : {} });
  }
  log.error({ event: 'apikey.change_failed', err: err instanceof Error ? err.message : String(err) }, 'API key change failed');
  return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
}
