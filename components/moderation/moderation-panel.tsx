'use client';

import { useEffect, useMemo, useState, useTransition } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path, type PathValue, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { setServerErrors } from '@/lib/contract/form';
import { deleteMessageAction } from '@/lib/actions/delete-message-action';
import { disconnectUserAction } from '@/lib/actions/disconnect-user-action';
import { sendEventAction } from '@/lib/actions/send-event-action';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import {
  deleteMessageSchema,
  disconnectUserSchema,
  sendEventSchema,
  type DeleteMessageInput,
  type DisconnectUserInput,
  type SendEventInput,
} from '@/lib/shared/moderation/schema';
import { AttributesEditor } from '@/components/mint/attributes-editor';
import { RoomPicker } from '@/components/mint/room-picker';
import type { DenylistEntry } from '@/lib/shared/moderation/denylist-view';
import { DenylistManager } from './denylist-manager';
import { RoomWatch } from './room-watch';

type Outcome = { ok: true; text: string } | { ok: false; text: string } | null;

function OutcomeAlert({ outcome, testId }: { outcome: Outcome; testId: string }) {
  if (!outcome) return null;
  return (
    <Alert color={outcome.ok ? 'teal' : 'red'} role={outcome.ok ? 'status' : 'alert'} data-testid={testId}>
      {outcome.text}
    </Alert>
  );
}

/** DisconnectUser, DeleteMessage and SendEvent for one room; each goes through the policy and the audit log. */
export function ModerationPanel({
  rooms,
  canDisconnect,
  canModerate,
  initialRoomArn = '',
  initialUserId = '',
  denylist = [],
  denyEveryRoom = false,
  endpoint = null,
  canWatch = false,
  maxSessionMinutes = 60,
}: {
  rooms: RoomSummary[];
  canDisconnect: boolean;
  canModerate: boolean;
  initialRoomArn?: string;
  initialUserId?: string;
  denylist?: DenylistEntry[];
  /** The role's room scope is every room, so it may deny a userId in every room. */
  denyEveryRoom?: boolean;
  /** The chat endpoint override (the emulator), as on the mint page. */
  endpoint?: string | null;
  /** The role may mint, so it may watch a room with a view-only token. */
  canWatch?: boolean;
  maxSessionMinutes?: number;
}) {
  const [roomArn, setRoomArn] = useState(initialRoomArn);
  return (
    <Stack gap="lg">
      <RoomPicker rooms={rooms} value={roomArn} onChange={setRoomArn} />
      {(canModerate || canDisconnect) && (
        <RoomWatch
          roomArn={roomArn}
          endpoint={endpoint}
          canWatch={canWatch}
          maxSessionMinutes={maxSessionMinutes}
          mayModerate={canModerate}
          mayDisconnectUsers={canDisconnect}
        />
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {canDisconnect && <DisconnectUserForm roomArn={roomArn} initialUserId={initialUserId} />}
        {canModerate && <DeleteMessageForm roomArn={roomArn} />}
      </SimpleGrid>
      {canModerate && <SendEventForm roomArn={roomArn} />}
      {canModerate && <DenylistManager entries={denylist} roomArn={roomArn} canDisconnect={canDisconnect} everyRoom={denyEveryRoom} />}
    </Stack>
  );
}

function useModerationForm<T extends FieldValues & { roomArn: string }>(schema: Parameters<typeof zodResolver>[0], defaults: T) {
  const resolver = useMemo(() => zodResolver(schema) as unknown as Resolver<T>, [schema]);
  const form = useForm<T>({ resolver, defaultValues: defaults as DefaultValues<T>, mode: 'onSubmit', reValidateMode: 'onChange' });
  // The room comes from the picker above the forms.
  const { setValue } = form;
  useEffect(() => {
    setValue('roomArn' as Path<T>, defaults.roomArn as PathValue<T, Path<T>>);
  }, [setValue, defaults.roomArn]);
  return form;
}

export function DisconnectUserForm({
  roomArn,
  initialUserId = '',
  compact,
}: {
  roomArn: string;
  initialUserId?: string;
  compact?: boolean;
}) {
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const form = useModerationForm<DisconnectUserInput>(disconnectUserSchema, { roomArn, userId: initialUserId, reason: '', source: 'ui' });
  const { register, handleSubmit, setError, formState } = form;
  const onSubmit = handleSubmit((values) => {
    setOutcome(null);
    start(async () => {
      const result = await disconnectUserAction({ ...values, roomArn });
      if (!result.ok) setServerErrors(setError, result, { root: false });
      setOutcome(
        result.ok
          ? { ok: true, text: `Disconnected ${values.userId} from the room. Recorded in the audit log.` }
          : { ok: false, text: result.message },
      );
    });
  });
  const body = (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Disconnect a user">
      <Stack gap="sm">
        {!compact && (
          <Title order={2} size="h5">
            Disconnect a user
          </Title>
        )}
        <Text size="xs" c="dimmed">
          Closes every connection of this userId in the room now. The user can join again with another valid token: add them to the deny
          list to stop new ones.
        </Text>
        <TextInput
          label="userId to disconnect"
          {...register('userId')}
          error={formState.errors.userId?.message ?? formState.errors.roomArn?.message}
          spellCheck={false}
          autoComplete="off"
        />
        <TextInput
          label="Disconnect reason"
          description="Sent to the room's clients with the disconnect, and kept in the audit log."
          {...register('reason')}
          error={formState.errors.reason?.message}
        />
        <OutcomeAlert outcome={outcome} testId="disconnect-outcome" />
        <Group>
          <Button type="submit" color="red" loading={pending} disabled={!roomArn}>
            Disconnect user
          </Button>
        </Group>
      </Stack>
    </form>
  );
  return compact ? body : <Card withBorder>{body}</Card>;
}

function DeleteMessageForm({ roomArn }: { roomArn: string }) {
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const form = useModerationForm<DeleteMessageInput>(deleteMessageSchema, { roomArn, messageId: '', reason: '', source: 'ui' });
  const { register, handleSubmit, setError, formState } = form;
  const onSubmit = handleSubmit((values) => {
    setOutcome(null);
    start(async () => {
      const result = await deleteMessageAction({ ...values, roomArn });
      if (!result.ok) setServerErrors(setError, result, { root: false });
      setOutcome(
        result.ok
          ? { ok: true, text: `Deleted message ${values.messageId}: the room's clients were told to remove it.` }
          : { ok: false, text: result.message },
      );
    });
  });
  return (
    <Card withBorder>
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Delete a message">
        <Stack gap="sm">
          <Title order={2} size="h5">
            Delete a message
          </Title>
          <Text size="xs" c="dimmed">
            By the message&apos;s Id (12 letters and digits, as clients receive it). IVS does not store messages, so an id is found by
            seeing the message arrive: in “Watch the room” above (each message there has Delete), in “Mint and connect here”, or in a chat
            app. Clients remove the message from view.
          </Text>
          <TextInput
            label="Message id"
            {...register('messageId')}
            error={formState.errors.messageId?.message ?? formState.errors.roomArn?.message}
            spellCheck={false}
            autoComplete="off"
          />
          <TextInput label="Delete reason" {...register('reason')} error={formState.errors.reason?.message} />
          <OutcomeAlert outcome={outcome} testId="delete-outcome" />
          <Group>
            <Button type="submit" color="red" variant="light" loading={pending} disabled={!roomArn}>
              Delete message
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function SendEventForm({ roomArn }: { roomArn: string }) {
  const [pending, start] = useTransition();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const form = useModerationForm<SendEventInput>(sendEventSchema, { roomArn, eventName: '', attributes: [], reason: '' });
  const { register, handleSubmit, setError, formState, control } = form;
  const onSubmit = handleSubmit((values) => {
    setOutcome(null);
    start(async () => {
      const result = await sendEventAction({ ...values, roomArn });
      if (!result.ok) setServerErrors(setError, result, { root: false });
      setOutcome(
        result.ok
          ? { ok: true, text: `Sent ${values.eventName} to the room${result.data.eventId ? ` (event id ${result.data.eventId})` : ''}.` }
          : { ok: false, text: result.message },
      );
    });
  });
  return (
    <Card withBorder>
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Send an event">
        <Stack gap="sm">
          <Title order={2} size="h5">
            Send a custom event
          </Title>
          <TextInput
            label="Event name"
            description="1 to 100 characters; aws: names are the service's own."
            {...register('eventName')}
            error={formState.errors.eventName?.message ?? formState.errors.roomArn?.message}
            spellCheck={false}
          />
          <AttributesEditor
            control={control}
            description="Sent once, with this event: every client in the room receives them as the event's attributes. Not tied to any user."
          />
          <TextInput label="Event reason (audit log only)" {...register('reason')} error={formState.errors.reason?.message} />
          <OutcomeAlert outcome={outcome} testId="event-outcome" />
          <Group>
            <Button type="submit" loading={pending} disabled={!roomArn}>
              Send event
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
