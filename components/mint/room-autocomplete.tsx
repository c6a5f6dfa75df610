'use client';

import { useLayoutEffect, useMemo, useRef } from 'react';
import { Autocomplete, Badge, Group, Stack, Text, type ComboboxItem, type OptionsFilter } from '@mantine/core';
import { useMergedRef } from '@mantine/hooks';
import { ROOM_INPUT_STYLES, roomHaystack, roomPickerText, type RoomPickerProps } from './room-picker-shared';

/**
 * The room picker once its dropdown code has loaded (./room-picker.tsx renders the plain input
 * before): searchable over ListRooms (name, id, region, tags); a pasted ARN is taken as typed and
 * validated by the schema. `focus`: the plain input had focus (and this selection) when it was
 * replaced, so this one takes it over, which also opens the dropdown.
 */
export function RoomAutocomplete({
  rooms,
  value,
  onChange,
  onBlur,
  error,
  disabled,
  inputRef,
  focus,
}: RoomPickerProps & { focus: { start: number | null; end: number | null } | null }) {
  const ownRef = useRef<HTMLInputElement>(null);
  const ref = useMergedRef(ownRef, inputRef);
  useLayoutEffect(() => {
    const input = ownRef.current;
    if (!focus || !input) return;
    input.focus();
    input.setSelectionRange(focus.start, focus.end);
    // Only when taking over from the plain input, never again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const byArn = useMemo(() => new Map(rooms.map((r) => [r.arn, r])), [rooms]);
  const data = useMemo<ComboboxItem[]>(() => rooms.map((r) => ({ value: r.arn, label: r.arn })), [rooms]);

  const filter: OptionsFilter = ({ options, search }) => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0 || byArn.has(search.trim())) return options;
    return (options as ComboboxItem[]).filter((option) => {
      const room = byArn.get(option.value);
      const hay = room ? roomHaystack(room) : option.value.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
  };

  return (
    <Autocomplete
      ref={ref}
      {...roomPickerText(rooms, value)}
      data={data}
      value={value}
      onChange={onChange}
      onBlur={onBlur}
      filter={filter}
      limit={50}
      maxDropdownHeight={320}
      error={error}
      disabled={disabled}
      required
      spellCheck={false}
      autoComplete="off"
      styles={ROOM_INPUT_STYLES}
      renderOption={({ option }) => {
        const room = byArn.get(option.value);
        if (!room) return option.value;
        return (
          <Stack gap={2}>
            <Group gap={6} wrap="nowrap">
              <Text size="sm" fw={600}>
                {room.name || '(unnamed)'}
              </Text>
              <Text size="xs" c="dimmed">
                {room.id} · {room.region}
              </Text>
            </Group>
            {Object.keys(room.tags).length > 0 && (
              <Group gap={4}>
                {Object.entries(room.tags).map(([k, v]) => (
                  <Badge key={k} size="xs" variant="light" color="gray" tt="none">
                    {k}={v}
                  </Badge>
                ))}
              </Group>
            )}
          </Stack>
        );
      }}
    />
  );
}
