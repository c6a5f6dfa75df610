import type { RoomSummary } from '@/lib/shared/rooms/view';
import { ROOM_ARN_PATTERN } from '@/lib/shared/tokens/limits';

/**
 * The room field's one rule, in the browser (against the rooms the picker lists) and on the
 * server (against ListRooms, lib/mint/resolve-room.ts), so neither trusts the other: a room ARN is
 * taken as typed; a bare room id (`QaSandbox001`, 12 letters and digits) or an exact room name
 * (`qa-sandbox`) is resolved to its ARN when exactly one listed room has it. CreateChatToken
 * itself takes only an ARN ("Currently this must be an ARN").
 */
export type RoomResolution =
  | { kind: 'empty' }
  | { kind: 'arn'; arn: string; room: RoomSummary | null }
  | { kind: 'resolved'; arn: string; room: RoomSummary; by: 'id' | 'name' }
  | { kind: 'ambiguous'; message: string; rooms: RoomSummary[] }
  | { kind: 'unknown'; message: string };

const ROOM_ID = /^[A-Za-z0-9]{12}$/;

/** Whether the text needs the room list to mean anything (not empty and not an ARN). */
export const needsRoomListing = (text: string): boolean => text.trim() !== '' && !ROOM_ARN_PATTERN.test(text.trim());

export function resolveRoom(text: string, rooms: readonly RoomSummary[]): RoomResolution {
  const s = text.trim();
  if (s === '') return { kind: 'empty' };
  if (ROOM_ARN_PATTERN.test(s)) return { kind: 'arn', arn: s, room: rooms.find((r) => r.arn === s) ?? null };
  if (s.startsWith('arn:')) {
    return { kind: 'unknown', message: 'Not a room ARN. Expected arn:aws:ivschat:<region>:<account>:room/<id>.' };
  }
  const byId = ROOM_ID.test(s) ? rooms.filter((r) => r.id === s) : [];
  const byName = rooms.filter((r) => r.name !== '' && r.name === s);
  const matches = [...new Map([...byId, ...byName].map((r) => [r.arn, r])).values()];
  if (matches.length === 1) {
    const room = matches[0];
    return { kind: 'resolved', arn: room.arn, room, by: byId.length === 1 ? 'id' : 'name' };
  }
  if (matches.length > 1) {
    const where = matches
      .slice(0, 4)
      .map((r) => `${r.id} in ${r.region}${r.accountLabel && r.accountLabel !== 'default' ? ` (${r.accountLabel})` : ''}`)
      .join(', ');
    return {
      kind: 'ambiguous',
      rooms: matches,
      message: `${matches.length} rooms are called "${s}" (${where}${matches.length > 4 ? ', …' : ''}). Choose one from the list or paste its ARN.`,
    };
  }
  return {
    kind: 'unknown',
    message: `No room has the id or name "${s}". Choose one from the list or paste a room ARN.`,
  };
}
