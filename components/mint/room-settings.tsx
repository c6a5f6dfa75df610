'use client';

import { useEffect, useState } from 'react';
import { Alert, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { getRoomAction } from '@/lib/actions/get-room-action';
import type { RoomDetail } from '@/lib/shared/rooms/view';
import { ROOM_ARN_PATTERN } from '@/lib/shared/tokens/limits';

type State =
  { status: 'idle' } | { status: 'loading' } | { status: 'ok'; room: RoomDetail } | { status: 'error'; message: string; atField?: boolean };

/**
 * The chosen room's settings from GetRoom, beside the form. `onProblem` hears what GetRoom said
 * about the room itself (no such room, outside the role's rooms), so the form can say it at the
 * room field before anything is submitted; a failure to reach AWS is not the room's fault.
 */
export function RoomSettings({ arn, onProblem }: { arn: string; onProblem?: (arn: string, message: string | null) => void }) {
  const [fetched, setFetched] = useState<{ arn: string; state: State } | null>(null);
  const trimmed = arn.trim();
  const valid = ROOM_ARN_PATTERN.test(trimmed);
  useEffect(() => {
    if (!valid) return;
    let cancelled = false;
    const settle = (state: State) => {
      if (cancelled) return;
      setFetched({ arn: trimmed, state });
      onProblem?.(trimmed, state.status === 'error' && state.atField ? state.message : null);
    };
    const timer = setTimeout(() => {
      getRoomAction(trimmed).then(
        (result) =>
          settle(
            result.ok
              ? { status: 'ok', room: result.data }
              : { status: 'error', message: result.message, atField: result.fieldErrors.roomArn !== undefined },
          ),
        // A failed request (the console unreachable) would otherwise leave the card loading for good.
        () => settle({ status: 'error', message: 'The console could not be reached; the room settings are not shown.' }),
      );
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // onProblem is a state setter's wrapper: a new identity must not refetch the room.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [trimmed, valid]);
  const state: State = !valid ? { status: 'idle' } : fetched?.arn === trimmed ? fetched.state : { status: 'loading' };

  return (
    <Card withBorder padding="md" aria-labelledby="room-settings-title">
      <Stack gap="sm">
        <Title order={2} size="h5" id="room-settings-title">
          Room settings
        </Title>
        {state.status === 'idle' && (
          <Text size="sm" c="dimmed">
            Choose a room to see its limits.
          </Text>
        )}
        {state.status === 'loading' && <Loader size="sm" aria-label="Loading room settings" />}
        {state.status === 'error' && (
          <Alert color="red" role="alert">
            {state.message}
          </Alert>
        )}
        {state.status === 'ok' && <RoomFacts room={state.room} />}
      </Stack>
    </Card>
  );
}

function RoomFacts({ room }: { room: RoomDetail }) {
  const review = room.messageReviewHandler?.uri;
  return (
    <Stack gap="xs" data-testid="room-settings">
      <div>
        <Text fw={600}>{room.name || '(unnamed)'}</Text>
        <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {room.arn}
        </Text>
      </div>
      <SimpleGrid cols={2} spacing="xs">
        <Fact label="Max message length" value={room.maximumMessageLength != null ? `${room.maximumMessageLength} characters` : '—'} />
        <Fact
          label="Max message rate"
          value={room.maximumMessageRatePerSecond != null ? `${room.maximumMessageRatePerSecond} / second` : '—'}
        />
        <Fact label="Region" value={room.region} />
        <Fact label="Room id" value={room.id} />
      </SimpleGrid>
      <Fact
        label="Message review"
        value={review ? `${review} (if it fails: ${room.messageReviewHandler?.fallbackResult ?? 'ALLOW'})` : 'None'}
      />
      <Fact
        label="Logging"
        value={room.loggingConfigurationIdentifiers.length ? room.loggingConfigurationIdentifiers.join(', ') : 'None'}
      />
      {Object.keys(room.tags).length > 0 && (
        <Group gap={4} aria-label="Room tags">
          {Object.entries(room.tags).map(([k, v]) => (
            <Badge key={k} variant="light" color="gray" tt="none">
              {k}={v}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ wordBreak: 'break-all' }}>
        {value}
      </Text>
    </div>
  );
}
