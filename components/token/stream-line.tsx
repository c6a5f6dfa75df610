'use client';

import { Button, Code, Group, Text } from '@mantine/core';
import type { StreamEntry } from './use-chat-room';

/** One line of the test connection's room stream. */
export function StreamLine({
  entry,
  canDelete,
  onDelete,
}: {
  entry: StreamEntry;
  canDelete: boolean;
  onDelete: (message: { id: string; userId: string }) => void;
}) {
  switch (entry.kind) {
    case 'message':
      return (
        <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="stream-message">
          <Text size="xs" c="dimmed" ff="monospace">
            {entry.at}
          </Text>
          <Text size="sm" style={{ flex: 1, wordBreak: 'break-word', textDecoration: entry.deleted != null ? 'line-through' : undefined }}>
            <b>{entry.userId}</b>: {entry.content}{' '}
            <Text span size="xs" c="dimmed" ff="monospace">
              id {entry.id}
            </Text>
            {entry.deleted != null && (
              <Text span size="xs" c="red.9">
                {' '}
                deleted{entry.deleted ? `: ${entry.deleted}` : ''}
              </Text>
            )}
          </Text>
          {canDelete && entry.deleted == null && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => onDelete({ id: entry.id, userId: entry.userId })}
              aria-label={`Delete message ${entry.id}`}
            >
              Delete
            </Button>
          )}
        </Group>
      );
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
          {entry.userId} was disconnected{entry.reason ? `: ${entry.reason}` : ''}
        </Text>
      );
  }
}
