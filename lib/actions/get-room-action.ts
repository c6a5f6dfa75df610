'use server';

import { roomDetailsFor } from '@/lib/auth/room-access';
import { authorize } from '@/lib/contract/guard';
import { invalidInput, type Result } from '@/lib/contract/result';
import type { RoomDetail } from '@/lib/ivschat/rooms';
import { roomArnSchema } from '@/lib/shared/tokens/schema';

export type GetRoomActionResult = Result<RoomDetail>;

/** The chosen room's settings, shown beside the form (GetRoom), for rooms in the member's role scope. */
export async function getRoomAction(arn: unknown): Promise<GetRoomActionResult> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  const parsed = roomArnSchema.safeParse(arn);
  if (!parsed.success) return invalidInput(parsed.error.issues.map((i) => ({ ...i, path: ['roomArn'] })));
  return roomDetailsFor(auth.principal.kind === 'staff' ? auth.principal.staff.role : auth.principal.key.role, parsed.data);
}
