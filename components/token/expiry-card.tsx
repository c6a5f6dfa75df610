'use client';

import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { useLocalZone } from '@/components/ui/time';
import { countdown } from '@/lib/shared/tokens/expiry';
import { formatLocal, formatUtc, isUtcZone } from '@/lib/shared/time/format';

/**
 * One of a token's two expiries. `endsFirst`: the other expiry comes earlier and decides when the
 * token can connect, so this one's countdown would promise time the token does not have.
 */
export function ExpiryCard({
  title,
  hint,
  iso,
  now,
  testId,
  earlierLimit,
}: {
  title: string;
  hint: string;
  iso: string;
  now: Date | null;
  testId: string;
  /** The other expiry, when it comes before this one and so is the real limit. */
  earlierLimit?: { label: string; iso: string } | null;
}) {
  const zone = useLocalZone();
  const left = now ? countdown(new Date(iso), now) : null;
  const moot = earlierLimit && new Date(earlierLimit.iso) < new Date(iso);
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600} size="sm">
            {title}
          </Text>
          {left && (
            <Badge color={left.expired || moot ? 'gray' : 'green'} variant="light" data-testid={`${testId}-countdown`} tt="none">
              {moot && !left.expired ? `${left.text} (later than the ${earlierLimit.label})` : left.text}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
        {moot && (
          <Text size="xs" fw={600} data-testid={`${testId}-moot`}>
            The {earlierLimit.label} comes first ({formatUtc(new Date(earlierLimit.iso))}): that is the limit.
          </Text>
        )}
        <Text size="sm" ff="monospace" data-testid={`${testId}-utc`}>
          {formatUtc(new Date(iso))}
        </Text>
        <Text size="sm" data-testid={`${testId}-local`}>
          {zone
            ? isUtcZone(zone)
              ? `${formatLocal(new Date(iso), zone).wallTime} local: your time zone is UTC`
              : formatLocal(new Date(iso), zone).text
            : ' '}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {new Date(iso).toISOString()}
        </Text>
      </Stack>
    </Card>
  );
}
