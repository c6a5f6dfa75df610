'use server';

import { z } from 'zod';
import { authorize } from '@/lib/contract/guard';
import { fail, invalidInput, ok, type Result } from '@/lib/contract/result';
import { endStaffSessions, StaffError } from '@/lib/auth/staff-store';

const endStaffSessionsSchema = z.strictObject({ staffId: z.string().min(1).max(100) });

/** "Sign out everywhere": ends every session of the member at once (their next request goes to sign-in). */
export async function endStaffSessionsAction(input: unknown): Promise<Result<{ email: string }>> {
  const auth = await authorize({ permission: 'staff.manage' });
  if (!auth.ok) return auth;
  const parsed = endStaffSessionsSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error.issues);
  try {
    const staff = await endStaffSessions(parsed.data.staffId, auth.actor);
    return ok({ email: staff.email });
  } catch (err) {
    if (err instanceof StaffError) return fail('NOT_FOUND', err.message);
    return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
  }
}
