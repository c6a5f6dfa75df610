import { createElement } from 'react';
import { resolveRoom } from '@/lib/shared/rooms/resolve';
import type { RoomSummary } from '@/lib/shared/rooms/view';

// What the plain room input (./room-picker.tsx) and the loaded dropdown (./room-autocomplete.tsx)
// share. Apart from both, so the dropdown, which the picker loads on demand, does not import it back.
export function roomHaystack(room: RoomSummary): string {
  const tags = Object.entries(room.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${room.name} ${room.id} ${room.region} ${room.accountLabel} ${room.arn} ${tags}`.toLowerCase();
}

export interface RoomPickerProps {
  rooms: RoomSummary[];
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  disabled?: boolean;
  inputRef?: React.Ref<HTMLInputElement>;
}

export const ROOM_INPUT_STYLES = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } };

/** Label, description and placeholder: the same before and after the dropdown loads. */
export function roomPickerText(rooms: RoomSummary[], value: string) {
  const typed = value.trim();
  const resolution = resolveRoom(typed, rooms);
  const chosen = resolution.kind === 'arn' ? resolution.room : resolution.kind === 'resolved' ? resolution.room : null;
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  const noMatch = resolution.kind === 'unknown' && rooms.length > 0 && !rooms.some((r) => words.every((w) => roomHaystack(r).includes(w)));
  let description: React.ReactNode = 'Search by name, id, region or tag, or paste a room ARN';
  if (chosen) {
    description = `${chosen.name || '(unnamed)'} · ${chosen.id} · ${chosen.region}${resolution.kind === 'resolved' ? ` (the ${resolution.by} of ${chosen.arn})` : ''}`;
  } else if (noMatch) {
    description = createElement(
      'span',
      { 'data-testid': 'room-search-empty' },
      `No room matches "${typed}". Search by name, id, region or tag, or paste a room ARN.`,
    );
  }
  return {
    label: 'Room',
    description,
    placeholder: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl',
  };
}
