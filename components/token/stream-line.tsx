'use client';

import type { ReactNode } from 'react';
import { Button, Code, Group, Stack, Text } from '@mantine/core';
import type { StreamEntry } from './use-chat-room';

export type LineAction = 'delete' | 'disconnect' | 'deny';

/** One line of a room stream; a message offers the moderation the member may do on it and its sender. */
export function StreamLine({
  entry,
  actions,
  onAction,
  children,
}: {
  entry: StreamEntry;
  /** The actions this line offers (none while disconnected or busy). */
  actions: LineAction[];
  onAction: (action: LineAction, message: { id: string; userId: string }) => void;
  /** The open action form for this line, shown under it. */
  children?: ReactNode;
}) {
  switch (entry.kind) {
    case 'message': {
      const deleted = entry.deleted != null;
      const offered = actions.filter((a) => a !== 'delete' || !deleted);
      const message = { id: entry.id, userId: entry.userId };
      return (
        <Stack gap={4} data-testid="stream-message" data-message-id={entry.id}>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="xs" c="dimmed" ff="monospace">
              {entry.at}
            </Text>
            <Text size="sm" style={{ flex: 1, wordBreak: 'break-word' }}>
              <span style={{ textDecoration: deleted ? 'line-through' : undefined }}>
                <b>{entry.userId}</b>: {entry.content}
              </span>{' '}
              <Text span size="xs" c="dimmed" ff="monospace">
                id {entry.id}
              </Text>
              {deleted && (
                <Text span size="xs" c="red.9">
                  {' '}
                  deleted{entry.deleted ? `: ${entry.deleted}` : ''}
                </Text>
              )}
            </Text>
            {offered.length > 0 && (
              <Group gap={4} wrap="nowrap">
                {offered.includes('delete') && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => onAction('delete', message)}
                    aria-label={`Delete message ${entry.id}`}
                  >
                    Delete
                  </Button>
                )}
                {offered.includes('disconnect') && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="orange"
                    onClick={() => onAction('disconnect', message)}
                    aria-label={`Disconnect ${entry.userId}`}
                  >
                    Disconnect
                  </Button>
                )}
                {offered.includes('deny') && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => onAction('deny', message)}
                    aria-label={`Deny ${entry.userId}`}
                  >
                    Deny
                  </Button>
                )}
              </Group>
            )}
          </Group>
          {children}
        </Stack>
      );
    }
    case 'event':
      return (
        <Text size="sm" data-testid="stream-event">
          <Text span size="xs" c="dimmed" ff="monospace">
            {entry.at}
          </Text>{' '}
          Event <Code>{entry.name}</Code>
          {Object.keys(entry.attributes).length > 0 && <> {JSON.stringify(entry.attributes)}</>}
        </Text>
      );
    case 'delete':
      return (
        <Text size="sm" c="dimmed">
          <Text span size="xs" ff="monospace">
            {entry.at}
          </Text>{' '}
          Message {entry.messageId} deleted{entry.reason ? `: ${entry.reason}` : ''}
        </Text>
      );
    case 'userDisconnect':
      return (
        <Text size="sm" c="dimmed">
          <Text span size="xs" ff="monospace">
            {entry.at}
          </Text>{' '}
          IVS sent a disconnect for {entry.userId}
          {entry.reason ? `: ${entry.reason}` : ''}
        </Text>
      );
  }
}
