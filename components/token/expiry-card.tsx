'use client';

import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { countdown, decodeExpiry } from '@/lib/shared/tokens/expiry';

export function ExpiryCard({
  title,
  hint,
  iso,
  now,
  testId,
}: {
  title: string;
  hint: string;
  iso: string;
  now: Date | null;
  testId: string;
}) {
  const decoded = decodeExpiry(iso);
  const left = now ? countdown(new Date(iso), now) : null;
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600} size="sm">
            {title}
          </Text>
          {left && (
            <Badge color={left.expired ? 'red' : 'green'} variant="light" data-testid={`${testId}-countdown`} tt="none">
              {left.text}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
        <Text size="sm" ff="monospace" data-testid={`${testId}-utc`}>
          {decoded.utc}
        </Text>
        <Text size="sm" data-testid={`${testId}-local`} suppressHydrationWarning>
          {now ? decoded.local : ' '}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {decoded.iso}
        </Text>
      </Stack>
    </Card>
  );
}
