'use client';

import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { RoomStream } from '@/components/token/room-stream';
import { useChatRoom, type ConnectionState } from '@/components/token/use-chat-room';
import { useModeration } from '@/components/token/use-moderation';
import { describeConnection } from '@/lib/shared/chat/messages';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';

const STATE_LABEL: Record<ConnectionState, string> = { connecting: 'Connecting…', connected: 'Connected', disconnected: 'Disconnected' };
const STATE_COLOR: Record<ConnectionState, string> = { connecting: 'yellow', connected: 'teal', disconnected: 'gray' };

/** The watch's connection: mints its view-only token on connect, streams the room, moderates through the audited actions. */
export function RoomWatchConnection({
  request,
  endpoint,
  mayModerate,
  mayDisconnectUsers,
}: {
  request: MintTokenRequest;
  endpoint: string | null;
  mayModerate: boolean;
  mayDisconnectUsers: boolean;
}) {
  const room = useChatRoom({ request, first: null, endpoint });
  const moderation = useModeration({ roomArn: request.roomArn, source: 'ui' });
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge color={STATE_COLOR[room.state]} data-testid="connection-state">
          {STATE_LABEL[room.state]}
        </Badge>
        <Text size="sm" data-testid="connection-header" role="status" aria-live="polite">
          {describeConnection(room.state, request.userId, room.end)}
          {room.state === 'connected' && ' (view only)'}
        </Text>
        {room.state === 'disconnected' && (
          <Button size="compact-xs" variant="light" onClick={room.connect}>
            Watch again (mints a new view-only token)
          </Button>
        )}
      </Group>
      {room.mintError && (
        <Alert color="red" role="alert" title="No token for the watch">
          {room.mintError}
        </Alert>
      )}
      <RoomStream
        stream={room.stream}
        selfUserId={request.userId}
        rights={{ deleteMessages: mayModerate, disconnectUsers: mayDisconnectUsers, denyUsers: mayModerate }}
        moderation={moderation}
      />
    </Stack>
  );
}
