'use server';

import { currentSession } from '@/lib/auth/session';
import { reissueSessionCookie } from '@/lib/auth/session-cookie';
import { changeOwnPassword, StaffError } from '@/lib/auth/staff-store';
import { fail, invalidInput, ok, SESSION_ENDED, type Result } from '@/lib/contract/result';
import { changePasswordSchema } from '@/lib/shared/password-policy';

/**
 * The member sets their own password (also the one thing allowed after signing in with a one-time
 * password). Every other session of theirs ends; this browser stays signed in.
 */
export async function changePasswordAction(input: unknown): Promise<Result<{ changed: true }>> {
  const session = await currentSession();
  if (session.kind !== 'active' && session.kind !== 'password_change_required') return SESSION_ENDED;
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const { staff, authTime } = session;
  try {
    const updated = await changeOwnPassword(staff.id, parsed.data.current, parsed.data.next, {
      staffId: staff.id,
      email: staff.email,
      role: staff.role,
      via: 'ui',
    });
    await reissueSessionCookie(updated, authTime);
    return ok({ changed: true });
  } catch (err) {
    if (err instanceof StaffError && err.code === 'wrong_password')
      return fail('INVALID_INPUT', err.message, { fieldErrors: { current: err.message } });
    if (err instanceof StaffError && err.code === 'invalid_password')
      return fail('INVALID_INPUT', err.message, { fieldErrors: { next: err.message } });
    return fail('INTERNAL', 'Something went wrong on the server; the password was not changed.');
  }
}
