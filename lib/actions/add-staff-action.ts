'use server';

import { z } from 'zod';
import { generatePassword } from '@/lib/auth/password';
import { staffFailure } from '@/lib/auth/staff-admin';
import { createStaff, PASSWORD_MIN_LENGTH, type Staff } from '@/lib/auth/staff-store';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { ROLES } from '@/lib/shared/policy/roles';

const addStaffSchema = z.strictObject({
  email: z.string().trim().min(1, 'Enter an email address.').max(320),
  role: z.enum(ROLES, { error: `A role is one of ${ROLES.join(', ')}.` }),
  password: z.string().max(1024).optional().default(''),
});

/** Adds a staff member; without a password one is generated and returned once, never stored in clear. */
export async function addStaffAction(input: unknown): Promise<Result<{ staff: Staff; generatedPassword: string | null }>> {
  const auth = await authorize({ permission: 'staff.manage' });
  if (!auth.ok) return auth;
  const parsed = addStaffSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const { email, role, password } = parsed.data;
  if (password && password.length < PASSWORD_MIN_LENGTH) {
    return fail('INVALID_INPUT', `A password needs at least ${PASSWORD_MIN_LENGTH} characters.`, {
      fieldErrors: { password: `At least ${PASSWORD_MIN_LENGTH} characters.` },
    });
  }
  const generatedPassword = password ? null : generatePassword();
  try {
    const staff = await createStaff({ email, role, password: password || generatedPassword }, auth.actor);
    return ok({ staff, generatedPassword });
  } catch (err) {
    return staffFailure(err);
  }
}
