'use client';

import { useMemo } from 'react';
import { Autocomplete, Badge, Group, Stack, Text, type ComboboxItem, type OptionsFilter } from '@mantine/core';
import type { RoomSummary } from '@/lib/ivschat/rooms';

function roomHaystack(room: RoomSummary): string {
  const tags = Object.entries(room.tags).map(([k, v]) => `${k}=${v}`).join(' ');
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

/** Searchable over ListRooms (name, id, region, tags); a pasted ARN is taken as typed and validated by the schema. */
export function RoomPicker({ rooms, value, onChange, onBlur, error, disabled, inputRef }: RoomPickerProps) {
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

  const chosen = byArn.get(value.trim());
  return (
    <Autocomplete
      ref={inputRef}
      label="Room"
      description={
        chosen
          ? `${chosen.name || '(unnamed)'} · ${chosen.id} · ${chosen.region}`
          : 'Search by name, id, region or tag, or paste a room ARN'
      }
      placeholder="arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl"
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
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
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
