'use client';

import { Stack, Switch, Text } from '@mantine/core';
import { CAPABILITIES, CAPABILITY_INFO, type Capability } from '@/lib/tokens/limits';

export function CapabilitiesField({
  value,
  onChange,
  error,
  disabled,
}: {
  value: Capability[];
  onChange: (value: Capability[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const toggle = (capability: Capability, on: boolean) =>
    onChange(on ? CAPABILITIES.filter((c) => c === capability || value.includes(c)) : value.filter((c) => c !== capability));
  return (
    <Stack gap="xs" role="group" aria-labelledby="capabilities-label">
      <Text id="capabilities-label" size="sm" fw={500}>
        Capabilities
      </Text>
      <Switch checked disabled label="View messages" description="Always included in every token." />
      {CAPABILITIES.map((capability) => (
        <Switch
          key={capability}
          checked={value.includes(capability)}
          onChange={(e) => toggle(capability, e.currentTarget.checked)}
          label={`${CAPABILITY_INFO[capability].label} (${capability})`}
          description={CAPABILITY_INFO[capability].description}
          disabled={disabled}
        />
      ))}
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
