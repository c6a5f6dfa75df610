'use server';

import { authorize } from '@/lib/contract/guard';
import { roomDetailsFor } from '@/lib/auth/room-access';
import { fail, type Result } from '@/lib/contract/result';
import type { RoomDetail } from '@/lib/ivschat/rooms';
import { roomArnSchema } from '@/lib/shared/tokens/schema';

/** The chosen room's settings, shown beside the form (GetRoom), for rooms in the member's role scope. */
export async function getRoomAction(arn: unknown): Promise<Result<RoomDetail>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  const parsed = roomArnSchema.safeParse(arn);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'Not a room ARN.';
    return fail('INVALID_INPUT', message, { fieldErrors: { roomArn: message } });
  }
  // Only for roles that act on rooms, and only rooms in the role's scope (lib/auth/room-access.ts).
  return roomDetailsFor(auth.role, parsed.data);
}
