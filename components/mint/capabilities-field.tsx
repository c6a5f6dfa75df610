'use client';

import { Stack, Switch, Text } from '@mantine/core';
import { CAPABILITIES, CAPABILITY_INFO, type Capability } from '@/lib/shared/tokens/limits';

/** Looks and reads as unavailable (the track greyed by Mantine's [data-disabled] rule) but stays in the Tab order. */
const unavailable = { 'aria-disabled': true, 'data-disabled': true } as const;

export function CapabilitiesField({
  value,
  onChange,
  error,
  disabled,
  role,
  allowed,
  reasonFor,
}: {
  value: Capability[];
  onChange: (value: Capability[]) => void;
  error?: string;
  disabled?: boolean;
  role: string;
  /** What the role's policy lets it grant; the others are shown disabled, with the rule. */
  allowed: readonly Capability[];
  reasonFor: readonly Capability[];
}) {
  const toggle = (capability: Capability, on: boolean) =>
    onChange(on ? CAPABILITIES.filter((c) => c === capability || value.includes(c)) : value.filter((c) => c !== capability));
  return (
    <Stack gap="xs" role="group" aria-labelledby="capabilities-label" aria-describedby={error ? 'capabilities-error' : undefined}>
      <Text id="capabilities-label" size="sm" fw={500}>
        Capabilities
      </Text>
      {/* Unavailable switches stay focusable (aria-disabled, not disabled), so keyboard and screen reader users reach them and hear why. */}
      <Switch checked {...unavailable} onChange={() => {}} label="View messages" description="Always included in every token." />
      {CAPABILITIES.map((capability) => {
        const permitted = allowed.includes(capability);
        const notes = [CAPABILITY_INFO[capability].description];
        if (!permitted) notes.push(`Your role (${role}) may not grant this (roles.${role}.capabilities).`);
        else if (reasonFor.includes(capability)) notes.push('Needs a reason.');
        // A switch that is already on (e.g. "mint again" after a demotion) stays switchable off.
        const refused = !permitted && !value.includes(capability);
        return (
          <Switch
            key={capability}
            checked={value.includes(capability)}
            onChange={(e) => {
              if (!refused) toggle(capability, e.currentTarget.checked);
            }}
            label={`${CAPABILITY_INFO[capability].label} (${capability})`}
            description={notes.join(' ')}
            disabled={disabled}
            {...(refused && !disabled ? unavailable : {})}
            data-policy={permitted ? 'allowed' : 'denied'}
          />
        );
      })}
      <Text id="capabilities-error" size="sm" c="red" role="alert" hidden={!error}>
        {error}
      </Text>
    </Stack>
  );
}
