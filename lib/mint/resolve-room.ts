import 'server-only';
import { fail, type Failure } from '@/lib/contract/result';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { needsRoomListing, resolveRoom } from '@/lib/shared/rooms/resolve';

/**
 * The server's half of the room field's rule (lib/shared/rooms/resolve.ts): a room id or exact
 * name in `input.roomArn` is resolved against ListRooms (the cached listing) to its ARN, never
 * taken from the browser's word; the ARN then goes through the schema and the policy like any
 * other. Input that is not an id or a name passes unchanged, for the schema to judge.
 */
export async function resolveRoomField(input: unknown): Promise<{ ok: true; input: unknown } | Failure> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: true, input };
  const roomArn = (input as { roomArn?: unknown }).roomArn;
  if (typeof roomArn !== 'string' || !needsRoomListing(roomArn)) return { ok: true, input };
  const listing = await listAllRooms();
  const resolved = resolveRoom(roomArn, listing.rooms);
  if (resolved.kind === 'resolved') return { ok: true, input: { ...input, roomArn: resolved.arn } };
  if (resolved.kind !== 'ambiguous' && resolved.kind !== 'unknown') return { ok: true, input };
  const unlisted = listing.failures.length ? ` (rooms in ${listing.failures.map((f) => f.region).join(', ')} could not be listed)` : '';
  const message = `${resolved.message}${unlisted}`;
  return fail('INVALID_INPUT', message, { fieldErrors: { roomArn: message } });
}
