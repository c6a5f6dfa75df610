'use client';

import { useState } from 'react';
import dynamic from 'next/dynamic';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';

// The chat client loads only when a watch starts, so the moderation page does not carry it.
const RoomWatchConnection = dynamic(() => import('./room-watch-connection').then((m) => m.RoomWatchConnection), { ssr: false });

/** The userId a watch connects as; view-only tokens cannot send, so nobody in the room sees it. */
export const WATCH_USER_ID = 'console-watch';
const WATCH_MINUTES = 60;

/**
 * A live watch of the chosen room, so a message id can be found where it is needed: a view-only
 * token (no capabilities) minted through the one audited path, the room's messages with their ids,
 * and Delete, Disconnect and Deny on each through the same audited actions as the forms below.
 */
export function RoomWatch({
  roomArn,
  endpoint,
  canWatch,
  maxSessionMinutes,
  mayModerate,
  mayDisconnectUsers,
}: {
  roomArn: string;
  endpoint: string | null;
  /** The role may mint (a watch is one audited mint). */
  canWatch: boolean;
  maxSessionMinutes: number;
  mayModerate: boolean;
  mayDisconnectUsers: boolean;
}) {
  const [watching, setWatching] = useState<{ key: number; request: MintTokenRequest } | null>(null);
  const active = watching && watching.request.roomArn === roomArn ? watching : null;
  const start = () =>
    setWatching({
      key: Date.now(),
      request: {
        roomArn,
        userId: WATCH_USER_ID,
        attributes: [],
        capabilities: [],
        sessionDurationInMinutes: Math.min(WATCH_MINUTES, maxSessionMinutes),
        reason: 'watching the room from Moderation to find message ids',
      },
    });

  return (
    <Card withBorder data-testid="room-watch" aria-labelledby="room-watch-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h5" id="room-watch-title">
            Watch the room
          </Title>
          {active ? (
            <Button variant="default" size="xs" onClick={() => setWatching(null)}>
              Stop watching
            </Button>
          ) : (
            <Button size="xs" onClick={start} disabled={!roomArn || !canWatch}>
              Watch this room
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          IVS keeps no messages, so a message id is found only by seeing the message arrive. Watching connects this browser to the room with
          a view-only token (no capabilities, userId <b>{WATCH_USER_ID}</b>), minted through the console and recorded in the audit log; each
          message then shows its id with Delete{mayDisconnectUsers ? ', Disconnect' : ''}
          {mayModerate ? ' and Deny' : ''}.
          {!canWatch && ' Your role may not mint, so it cannot watch: paste the id a chat app shows instead.'}
          {canWatch && !roomArn && ' Choose a room above first.'}
        </Text>
        {active && (
          <RoomWatchConnection
            key={active.key}
            request={active.request}
            endpoint={endpoint}
            mayModerate={mayModerate}
            mayDisconnectUsers={mayDisconnectUsers}
          />
        )}
      </Stack>
    </Card>
  );
}
