'use client';

import { Button, Group, Stack, Text } from '@mantine/core';
import { formatMinutes } from '@/lib/shared/tokens/expiry';
import type { Preset } from '@/lib/shared/presets/schema';
import { useOnDemand } from './on-demand';

function presetSummary(p: Preset): string {
  return `${p.capabilities.length ? p.capabilities.join(', ') : 'view only'} · ${formatMinutes(p.sessionDurationInMinutes)}${p.attributes.length ? ` · ${p.attributes.length} attribute(s)` : ''}${p.roomArn ? ' · sets the room' : ''}`;
}

/**
 * One button per preset the role may use; a click fills the form (the limits still apply). Each
 * button is described by its summary; the hover tooltips showing it attach to the buttons once the
 * form's on-demand parts have loaded (./on-demand.ts), without re-rendering the buttons.
 */
export function PresetPicker({ presets, onApply }: { presets: Preset[]; onApply: (preset: Preset) => void }) {
  const parts = useOnDemand();
  return (
    <Stack gap={6} role="group" aria-labelledby="presets-label">
      <Text id="presets-label" size="sm" fw={500}>
        Presets
      </Text>
      <Group gap="xs">
        {presets.map((p) => (
          <Button
            key={p.id}
            id={`preset-${p.id}`}
            variant="default"
            size="xs"
            onClick={() => onApply(p)}
            aria-label={`Use preset ${p.name}`}
            aria-describedby={`preset-${p.id}-summary`}
          >
            {p.name}
          </Button>
        ))}
      </Group>
      {presets.map((p) => (
        <span key={p.id} id={`preset-${p.id}-summary`} hidden>
          {presetSummary(p)}
        </span>
      ))}
      {parts &&
        presets.map((p) => <parts.Tooltip key={p.id} target={`#preset-${CSS.escape(p.id)}`} multiline w={280} label={presetSummary(p)} />)}
      <Text size="xs" c="dimmed">
        A preset fills the room scope, capabilities, duration, attributes and reason; you still choose the userId. The policy and the limits
        still apply.
      </Text>
    </Stack>
  );
}
