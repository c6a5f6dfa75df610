import type { RoomSummary } from '@/lib/ivschat/rooms';

// What the plain room input (./room-picker.tsx) and the loaded dropdown (./room-autocomplete.tsx)
// share. Apart from both, so the dropdown, which the picker loads on demand, does not import it back.
export function roomHaystack(room: RoomSummary): string {
  const tags = Object.entries(room.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${room.name} ${room.id} ${room.region} ${room.arn} ${tags}`.toLowerCase();
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
  const chosen = rooms.find((r) => r.arn === value.trim());
  return {
    label: 'Room',
    description: chosen
      ? `${chosen.name || '(unnamed)'} · ${chosen.id} · ${chosen.region}`
      : 'Search by name, id, region or tag, or paste a room ARN',
    placeholder: 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl',
  };
}
