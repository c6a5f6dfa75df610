'use client';

import { Button, Group, Stack, Text, Tooltip } from '@mantine/core';
import { formatMinutes } from '@/lib/tokens/expiry';
import type { Preset } from '@/lib/tokens/moderation';

/** One button per preset the role may use; a click fills the form (the limits still apply). */
export function PresetPicker({ presets, onApply }: { presets: Preset[]; onApply: (preset: Preset) => void }) {
  return (
    <Stack gap={6} role="group" aria-labelledby="presets-label">
      <Text id="presets-label" size="sm" fw={500}>
        Presets
      </Text>
      <Group gap="xs">
        {presets.map((p) => (
          <Tooltip
            key={p.id}
            multiline
            w={280}
            label={`${p.capabilities.length ? p.capabilities.join(', ') : 'view only'} · ${formatMinutes(p.sessionDurationInMinutes)}${p.attributes.length ? ` · ${p.attributes.length} attribute(s)` : ''}${p.roomArn ? ' · sets the room' : ''}`}
          >
            <Button variant="default" size="xs" onClick={() => onApply(p)} aria-label={`Use preset ${p.name}`}>
              {p.name}
            </Button>
          </Tooltip>
        ))}
      </Group>
      <Text size="xs" c="dimmed">
        A preset fills the room scope, capabilities, duration, attributes and reason; you still choose the userId. The policy and the limits still apply.
      </Text>
    </Stack>
  );
}
