'use client';

import { useId, useState, type ReactNode } from 'react';
import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

/**
 * A secret the console shows exactly once (a minted token, a new API key, a generated password):
 * the warning, the value with a copy button, and a button that takes it off the screen for good.
 * Nothing here keeps the value anywhere but in the props it was rendered with.
 */
export function ShownOnce({
  label,
  value,
  valueTestId,
  copyLabel,
  warningTitle,
  warning,
  onCopy,
  onHide,
}: {
  /** What the value is, e.g. "Token"; also names the copy and hide buttons. */
  label: string;
  value: string;
  valueTestId: string;
  /** The copy button's text and accessible name, e.g. "Copy token". */
  copyLabel: string;
  warningTitle: string;
  warning: ReactNode;
  /** Told when the value was copied (the mint page stops asking before it is left). */
  onCopy?: () => void;
  /** Told when the value was taken off the screen. */
  onHide?: () => void;
}) {
  const [hidden, setHidden] = useState(false);
  const labelId = useId();
  const noun = label.toLowerCase();
  return (
    <Stack gap="sm">
      <Alert color="yellow" title={warningTitle}>
        {warning}
      </Alert>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={600} size="sm" id={labelId}>
            {label}
          </Text>
          {!hidden && (
            <Group gap="xs">
              <CopyButton value={value} timeout={2000}>
                {({ copied, copy }) => (
                  <Button
                    size="xs"
                    color={copied ? 'teal' : 'violet'}
                    onClick={() => {
                      copy();
                      onCopy?.();
                    }}
                    aria-label={copyLabel}
                  >
                    {copied ? 'Copied' : copyLabel}
                  </Button>
                )}
              </CopyButton>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setHidden(true);
                  onHide?.();
                }}
              >
                Hide {noun}
              </Button>
            </Group>
          )}
        </Group>
        {hidden ? (
          <Text size="sm" c="dimmed" data-testid={`${valueTestId}-hidden`}>
            The {noun} is hidden and cannot be shown again.
          </Text>
        ) : (
          <Code
            block
            aria-labelledby={labelId}
            data-testid={valueTestId}
            // Selecting the value and copying it by hand counts as copying too.
            onCopy={onCopy}
            style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}
          >
            {value}
          </Code>
        )}
      </Stack>
    </Stack>
  );
}
