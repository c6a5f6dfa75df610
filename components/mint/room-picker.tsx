'use client';

import { useRef } from 'react';
import { TextInput } from '@mantine/core';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import { loadOnDemand, useOnDemand } from './on-demand';

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

/**
 * The room field. Until the staff member first touches the form it is a plain input with the
 * combobox's name and state (typing or pasting an ARN works); the searchable dropdown
 * (room-autocomplete.tsx) replaces it as soon as its code has loaded, taking over focus and caret.
 */
export function RoomPicker(props: RoomPickerProps) {
  const parts = useOnDemand();
  // Where the caret was in the plain input, kept on every event so the swap can restore it.
  const focus = useRef<{ start: number | null; end: number | null } | null>(null);
  if (parts) return <parts.RoomAutocomplete {...props} focus={focus.current} />;

  const { rooms, value, onChange, onBlur, error, disabled, inputRef } = props;
  const track = (e: React.SyntheticEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    focus.current = document.activeElement === input ? { start: input.selectionStart, end: input.selectionEnd } : null;
  };
  const load = () => void loadOnDemand();
  return (
    <TextInput
      ref={inputRef}
      {...roomPickerText(rooms, value)}
      // What Mantine's Autocomplete puts on its input, while its list is closed.
      role="combobox"
      aria-haspopup="listbox"
      aria-expanded={false}
      value={value}
      onChange={(e) => {
        onChange(e.currentTarget.value);
        track(e);
      }}
      onFocus={(e) => {
        track(e);
        load();
      }}
      onBlur={(e) => {
        track(e);
        onBlur?.();
      }}
      onSelect={track}
      onKeyUp={track}
      onPointerEnter={load}
      onPointerDown={load}
      error={error}
      disabled={disabled}
      required
      spellCheck={false}
      autoComplete="off"
      styles={ROOM_INPUT_STYLES}
    />
  );
}
