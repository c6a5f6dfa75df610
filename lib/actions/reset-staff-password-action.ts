'use server';

import { z } from 'zod';
import { generatePassword } from '@/lib/auth/password';
import { setStaffPassword, StaffError } from '@/lib/auth/staff-store';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';

const schema = z.strictObject({ staffId: z.string().min(1).max(100) });

/**
 * An admin resets a member's password: a generated one-time password, returned this once. Every
 * session of the member ends, and their first sign-in with it must set a new one.
 */
export async function resetStaffPasswordAction(input: unknown): Promise<Result<{ email: string; password: string }>> {
  const auth = await authorize({ permission: 'staff.manage' });
  if (!auth.ok) return auth;
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  if (auth.principal.kind === 'staff' && parsed.data.staffId === auth.principal.staff.id) {
    return fail('INVALID_INPUT', 'Change your own password with "Change password" instead.');
  }
  const password = generatePassword();
  try {
    const staff = await setStaffPassword(parsed.data.staffId, password, auth.actor, undefined, { oneTime: true });
    return ok({ email: staff.email, password });
  } catch (err) {
    if (err instanceof StaffError) return fail('NOT_FOUND', err.message);
    return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
  }
}
