'use client';

import type React from 'react';
import { Group, NumberInput, Slider, Stack, Text } from '@mantine/core';
import { formatMinutes } from '@/lib/shared/tokens/expiry';
import { DURATION_LIMITS } from '@/lib/shared/tokens/limits';

/** PageUp/PageDown move this far (ARIA slider pattern: a larger step than the arrows); Mantine's Slider knows only arrows, Home and End. */
const PAGE_STEP = 10;

const MARKS = [
  { value: 1, label: '1 min' },
  { value: 60, label: '1 h' },
  { value: 120, label: '2 h' },
  { value: 180, label: '3 h' },
];

export function DurationField({
  value,
  onChange,
  error,
  disabled,
  max = DURATION_LIMITS.max,
  role,
}: {
  value: number;
  onChange: (value: number) => void;
  error?: string;
  disabled?: boolean;
  /** The role's longest session (policy maxSessionMinutes), at most the service's limit. */
  max?: number;
  role?: string;
}) {
  const safe = Number.isFinite(value) ? value : DURATION_LIMITS.min;
  const limited = max < DURATION_LIMITS.max;
  const marks = MARKS.filter((m) => m.value <= max);
  const shown = Math.min(max, Math.max(DURATION_LIMITS.min, safe));
  const onPageKey = (e: React.KeyboardEvent) => {
    if (disabled || (e.key !== 'PageUp' && e.key !== 'PageDown')) return;
    e.preventDefault();
    onChange(Math.min(max, Math.max(DURATION_LIMITS.min, shown + (e.key === 'PageUp' ? PAGE_STEP : -PAGE_STEP))));
  };
  return (
    <Stack gap={6}>
      <Group justify="space-between" align="baseline">
        <Text id="duration-label" size="sm" fw={500}>
          Session duration
        </Text>
        <Text size="sm" fw={600} aria-live="polite" data-testid="duration-readout">
          {formatMinutes(safe)}
        </Text>
      </Group>
      <Group gap="md" align="center" wrap="nowrap">
        <Slider
          style={{ flex: 1 }}
          min={DURATION_LIMITS.min}
          max={max}
          step={1}
          value={shown}
          onChange={onChange}
          onKeyDown={onPageKey}
          marks={marks}
          label={formatMinutes}
          thumbLabel="Session duration"
          thumbValueText={(v) => formatMinutes(v)}
          disabled={disabled}
          mb="md"
        />
        <NumberInput
          aria-label="Session duration in minutes"
          w={96}
          min={DURATION_LIMITS.min}
          max={max}
          step={1}
          allowDecimal={false}
          clampBehavior="none"
          value={value}
          onChange={(v) => onChange(typeof v === 'number' ? v : Number.NaN)}
          suffix=" min"
          disabled={disabled}
          error={error ? true : undefined}
        />
      </Group>
      <Text size="xs" c={error ? 'red' : 'dimmed'} role={error ? 'alert' : undefined}>
        {error ??
          `How long a connection made with this token may stay open (${DURATION_LIMITS.min} to ${max} minutes${
            limited ? `; the longest your role (${role}) may grant, roles.${role}.maxSessionMinutes` : ''
          }).`}
      </Text>
    </Stack>
  );
}
