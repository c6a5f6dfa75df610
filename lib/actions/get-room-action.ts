'use server';

import { getCurrentStaff } from '@/lib/auth/session';
import { getRoom, type RoomDetail } from '@/lib/ivschat/rooms';
import { roomArnSchema } from '@/lib/shared/tokens/schema';

export type GetRoomActionResult = { ok: true; data: RoomDetail } | { ok: false; message: string };

/** The chosen room's settings, shown beside the form (GetRoom). */
export async function getRoomAction(arn: unknown): Promise<GetRoomActionResult> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, message: 'Your session has ended. Sign in again.' };
  const parsed = roomArnSchema.safeParse(arn);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Not a room ARN.' };
  const result = await getRoom(parsed.data);
  return result.ok ? { ok: true, data: result.room } : { ok: false, message: result.error.message };
}
