import 'server-only';
import { fail, type ErrorCode, type Failure } from '@/lib/contract/result';
import { StaffError, type StaffErrorCode } from '@/lib/auth/staff-store';
import { log } from '@/lib/log';

const STAFF_ERRORS: Record<StaffErrorCode, { code: ErrorCode; field?: string }> = {
  invalid_email: { code: 'INVALID_INPUT', field: 'email' },
  invalid_role: { code: 'INVALID_INPUT', field: 'role' },
  invalid_password: { code: 'INVALID_INPUT', field: 'password' },
  duplicate_email: { code: 'CONFLICT', field: 'email' },
  not_found: { code: 'NOT_FOUND' },
};

/** StaffError messages are written for people; anything else stays on the server. */
export function staffFailure(err: unknown): Failure {
  if (err instanceof StaffError) {
    const { code, field } = STAFF_ERRORS[err.code];
    return fail(code, err.message, { fieldErrors: field ? { [field]: err.message } : {} });
  }
  log.error({ event: 'staff.change_failed', err: err instanceof Error ? err.message : String(err) }, 'staff change failed');
  return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
}
