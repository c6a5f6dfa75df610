'use client';

import { useMemo, useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Card, Checkbox, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { createAccessRequestAction } from '@/lib/actions/create-access-request-action';
import { setServerErrors } from '@/lib/contract/form';
import { createAccessRequestSchema, type CreateAccessRequestInput } from '@/lib/shared/approvals/schema';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import { RoomPicker } from '@/components/mint/room-picker';

export interface RequestLimits {
  capabilities: string[];
  maxWindowMinutes: number;
  maxSessionMinutes: number;
  anyUserId: boolean;
  ownUserId: string;
}

const CAPABILITY_LABELS: Record<string, string> = {
  SEND_MESSAGE: 'Send messages (SEND_MESSAGE)',
  DELETE_MESSAGE: 'Delete messages (DELETE_MESSAGE)',
  DISCONNECT_USER: 'Disconnect users (DISCONNECT_USER)',
};

/** Ask for a temporary grant: room, userId, capabilities, window, session length and a reason. */
export function RequestForm({ rooms, limits }: { rooms: RoomSummary[]; limits: RequestLimits }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setErrorText] = useState<string | null>(null);
  const resolver = useMemo(() => zodResolver(createAccessRequestSchema) as unknown as Resolver<CreateAccessRequestInput>, []);
  const form = useForm<CreateAccessRequestInput>({
    resolver,
    defaultValues: {
      roomArn: '',
      userId: limits.ownUserId,
      capabilities: [],
      windowMinutes: Math.min(30, limits.maxWindowMinutes),
      sessionDurationInMinutes: Math.min(30, limits.maxSessionMinutes),
      reason: '',
    },
  });
  const { control, register, handleSubmit, setError, formState } = form;
  const onSubmit = handleSubmit((values) => {
    setErrorText(null);
    start(async () => {
      const result = await createAccessRequestAction(values);
      if (!result.ok) {
        setServerErrors(setError, result, { root: false });
        setErrorText(result.message);
        return;
      }
      router.push(`/requests/${result.data.id}`);
    });
  });
  return (
    <Card withBorder>
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Request a temporary grant">
        <Stack gap="sm">
          <Title order={2} size="h5">
            Request a temporary grant
          </Title>
          <Text size="xs" c="dimmed">
            An approver (never you) approves or denies it. The window starts when it is approved; within it you mint, through the usual mint
            form or “Mint and connect here”, tokens no wider than the approval, each session ending by the window’s end.
          </Text>
          <Controller
            control={control}
            name="roomArn"
            render={({ field, fieldState }) => (
              <RoomPicker
                rooms={rooms}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                error={fieldState.error?.message}
              />
            )}
          />
          <TextInput
            label="userId"
            description={
              limits.anyUserId ? 'The chat userId the tokens will carry.' : 'Your own chat userId (your role may request only for it).'
            }
            readOnly={!limits.anyUserId}
            {...register('userId')}
            error={formState.errors.userId?.message}
            spellCheck={false}
            autoComplete="off"
          />
          <Controller
            control={control}
            name="capabilities"
            render={({ field, fieldState }) => (
              <Checkbox.Group
                label="Capabilities"
                value={field.value as string[]}
                onChange={field.onChange}
                error={fieldState.error?.message}
              >
                <Group mt={4}>
                  {limits.capabilities.map((c) => (
                    <Checkbox key={c} value={c} label={CAPABILITY_LABELS[c] ?? c} />
                  ))}
                </Group>
              </Checkbox.Group>
            )}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Window in minutes"
              description={`How long the approval lasts, from approval; at most ${limits.maxWindowMinutes}.`}
              inputMode="numeric"
              {...register('windowMinutes')}
              error={formState.errors.windowMinutes?.message}
            />
            <TextInput
              label="Longest session in minutes"
              description={`Each token's session; at most ${limits.maxSessionMinutes}, and never past the window.`}
              inputMode="numeric"
              {...register('sessionDurationInMinutes')}
              error={formState.errors.sessionDurationInMinutes?.message}
            />
          </SimpleGrid>
          <TextInput label="Reason or ticket" {...register('reason')} error={formState.errors.reason?.message} />
          {error && (
            <Alert color="red" role="alert" data-testid="request-error">
              {error}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={pending}>
              Send request
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
