'use server';

import { getCurrentStaff } from '@/lib/auth/session';
import { listAllRooms, type RoomListing } from '@/lib/ivschat/rooms';

export type ListRoomsActionResult = { ok: true; data: RoomListing } | { ok: false; message: string };

/** Refresh of the room picker (bypasses the short server cache). */
export async function listRoomsAction(): Promise<ListRoomsActionResult> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, message: 'Your session has ended. Sign in again.' };
  return { ok: true, data: await listAllRooms({ fresh: true }) };
}
