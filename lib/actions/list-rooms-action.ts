'use server';

import { rolePolicy } from '@/lib/auth/policy';
import { authorize } from '@/lib/contract/guard';
import { ok, type Result } from '@/lib/contract/result';
import { listAllRooms, type RoomListing } from '@/lib/ivschat/rooms';
import { roomInScope } from '@/lib/shared/policy/rules';

/** Refresh of the room picker (bypasses the short server cache). */
export async function listRoomsAction(): Promise<Result<RoomListing>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  const listing = await listAllRooms({ fresh: true });
  const policy = rolePolicy(auth.role);
  return ok({ ...listing, rooms: listing.rooms.filter((room) => roomInScope(auth.role, policy, room)) });
}
