'use client';

import { Stack, Switch, Text } from '@mantine/core';
import { CAPABILITIES, CAPABILITY_INFO, type Capability } from '@/lib/shared/tokens/limits';

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
      <Switch checked disabled label="View messages" description="Always included in every token." />
      {CAPABILITIES.map((capability) => {
        const permitted = allowed.includes(capability);
        const notes = [CAPABILITY_INFO[capability].description];
        if (!permitted) notes.push(`Your role (${role}) may not grant this (roles.${role}.capabilities).`);
        else if (reasonFor.includes(capability)) notes.push('Needs a reason.');
        return (
          <Switch
            key={capability}
            checked={value.includes(capability)}
            onChange={(e) => toggle(capability, e.currentTarget.checked)}
            label={`${CAPABILITY_INFO[capability].label} (${capability})`}
            description={notes.join(' ')}
            // A switch that is already on (e.g. "mint again" after a demotion) stays switchable off.
            disabled={disabled || (!permitted && !value.includes(capability))}
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
