'use server';

import { z } from 'zod';
import { staffFailure } from '@/lib/auth/staff-admin';
import { setStaffRole, type Staff } from '@/lib/auth/staff-store';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { ROLES } from '@/lib/shared/policy/roles';

const setStaffRoleSchema = z.strictObject({
  staffId: z.string().min(1).max(100),
  role: z.enum(ROLES, { error: `Choose one of ${ROLES.join(', ')}.` }),
});

export async function setStaffRoleAction(input: unknown): Promise<Result<Staff>> {
  const auth = await authorize({ permission: 'staff.manage' });
  if (!auth.ok) return auth;
  const parsed = setStaffRoleSchema.safeParse(input);
  if (!parsed.success) return { ...invalidInput(parsed.error.issues), message: `Choose one of ${ROLES.join(', ')}.` };
  // An admin demoting themselves could leave nobody able to manage staff.
  if (parsed.data.staffId === auth.actor.staffId) return fail('FORBIDDEN', 'You cannot change your own role.');
  try {
    return ok(await setStaffRole(parsed.data.staffId, parsed.data.role, auth.actor));
  } catch (err) {
    return staffFailure(err);
  }
}
