import 'server-only';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { needsRoomListing, resolveRoom } from '@/lib/shared/rooms/resolve';

/**
 * The server's half of the room field's rule (lib/shared/rooms/resolve.ts): a room id or exact
 * name in `input.roomArn` is resolved against ListRooms (the cached listing) to its ARN, never
 * taken from the browser's word; the ARN then goes through the schema and the policy like any
 * other. Input that is not an id or a name passes unchanged, for the schema to judge.
 */
export async function resolveRoomField(input: unknown): Promise<{ input: unknown; roomError: string | null }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { input, roomError: null };
  const roomArn = (input as { roomArn?: unknown }).roomArn;
  if (typeof roomArn !== 'string' || !needsRoomListing(roomArn)) return { input, roomError: null };
  const listing = await listAllRooms();
  const resolved = resolveRoom(roomArn, listing.rooms);
  if (resolved.kind === 'resolved') return { input: { ...input, roomArn: resolved.arn }, roomError: null };
  if (resolved.kind !== 'ambiguous' && resolved.kind !== 'unknown') return { input, roomError: null };
  const unlisted = listing.failures.length ? ` (rooms in ${listing.failures.map((f) => f.region).join(', ')} could not be listed)` : '';
  return { input, roomError: `${resolved.message}${unlisted}` };
}
