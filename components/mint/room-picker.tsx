'use client';

import { useRef } from 'react';
import { TextInput } from '@mantine/core';
import { loadOnDemand, useOnDemand } from './on-demand';
import { ROOM_INPUT_STYLES, roomPickerText, type RoomPickerProps } from './room-picker-shared';

/**
 * The room field. Until the staff member first touches the form it is a plain input with the
 * combobox's name and state (typing or pasting an ARN works); the searchable dropdown
 * (room-autocomplete.tsx) replaces it as soon as its code has loaded, taking over focus and caret.
 */
export function RoomPicker(props: RoomPickerProps) {
  const parts = useOnDemand();
  // Where the caret was in the plain input, kept on every event so the swap can restore it.
  const focus = useRef<{ start: number | null; end: number | null } | null>(null);
  // Read once, at the render that swaps the inputs: the caret as it was at that moment.
  // eslint-disable-next-line react-hooks/refs
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
