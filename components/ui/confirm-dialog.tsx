'use client';

import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';

/** What a confirmation says: the act, on whom, and what follows from it. */
export interface ConfirmRequest {
  /** Names the act and its object, e.g. "Disable ann@example.com?". */
  title: string;
  /** What will happen, in words the person can check before clicking. */
  body: ReactNode;
  /** The confirming button's text, e.g. "Disable ann@example.com". */
  confirmLabel: string;
  /** Red for what cannot be undone or takes something away. */
  color?: 'red' | 'orange' | 'violet';
}

/**
 * A destructive act asks first: `ask()` opens a dialog naming what will be done and resolves true
 * only when the person confirms it (Escape, the close button and Cancel resolve false). The dialog
 * is one Mantine Modal per screen, rendered where the hook's `dialog` is placed.
 */
export function useConfirm(): { dialog: ReactNode; ask: (request: ConfirmRequest) => Promise<boolean> } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const settle = useRef<((yes: boolean) => void) | null>(null);
  const close = useCallback((yes: boolean) => {
    settle.current?.(yes);
    settle.current = null;
    setRequest(null);
  }, []);
  const ask = useCallback((next: ConfirmRequest) => {
    settle.current?.(false);
    setRequest(next);
    return new Promise<boolean>((resolve) => {
      settle.current = resolve;
    });
  }, []);
  const dialog = (
    <Modal opened={request !== null} onClose={() => close(false)} title={request?.title} size="md" data-testid="confirm-dialog">
      {request && (
        <Stack gap="md">
          {typeof request.body === 'string' ? <Text size="sm">{request.body}</Text> : request.body}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button color={request.color ?? 'red'} onClick={() => close(true)} data-autofocus>
              {request.confirmLabel}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
  return { dialog, ask };
}
