'use server';

import { getCurrentStaff } from '@/lib/auth/session';
import { rolePolicy } from '@/lib/auth/policy';
import { listAllRooms, type RoomListing } from '@/lib/ivschat/rooms';
import { roomInScope } from '@/lib/shared/policy/rules';

export type ListRoomsActionResult = { ok: true; data: RoomListing } | { ok: false; message: string };

/** Refresh of the room picker (bypasses the short server cache). */
export async function listRoomsAction(): Promise<ListRoomsActionResult> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, message: 'Your session has ended. Sign in again.' };
  const listing = await listAllRooms({ fresh: true });
  const policy = rolePolicy(staff.role);
  return { ok: true, data: { ...listing, rooms: listing.rooms.filter((room) => roomInScope(staff.role, policy, room)) } };
}
