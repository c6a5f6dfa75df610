'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { Alert, Button, Checkbox, Group, NativeSelect, Paper, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { moderationReasonSchema } from '@/lib/shared/moderation/schema';
import { StreamLine, type LineAction } from './stream-line';
import type { StreamEntry } from './use-chat-room';
import type { StreamRights, useModeration } from './use-moderation';

type Moderation = ReturnType<typeof useModeration>;

const DENY_FOR = [
  { value: '', label: 'Until removed' },
  { value: '60', label: '1 hour' },
  { value: '1440', label: '24 hours' },
  { value: '10080', label: '7 days' },
] as const;

/**
 * A room's messages and events as they arrive, each message with its id and the moderation the
 * member may do on it (delete) and on its sender (disconnect, deny), each asking for its reason first.
 */
export function RoomStream({
  stream,
  selfUserId,
  rights,
  moderation,
}: {
  stream: StreamEntry[];
  /** This browser's own userId: its messages offer delete, never disconnect or deny. */
  selfUserId: string | null;
  rights: StreamRights;
  moderation: Moderation;
}) {
  const [open, setOpen] = useState<{ action: LineAction; message: { id: string; userId: string } } | null>(null);
  // The outcome replaces the form that asked for it: focus goes to it, not to the page body.
  const outcomeRef = useRef<HTMLDivElement>(null);
  const captionId = useId();
  useEffect(() => {
    if (moderation.outcome) outcomeRef.current?.focus();
  }, [moderation.outcome]);
  const offered = (userId: string): LineAction[] => {
    if (moderation.busy) return [];
    const own = userId === selfUserId;
    return [
      ...(rights.deleteMessages ? (['delete'] as const) : []),
      ...(rights.disconnectUsers && !own ? (['disconnect'] as const) : []),
      ...(rights.denyUsers && !own ? (['deny'] as const) : []),
    ];
  };

  return (
    <Stack gap="xs">
      {moderation.outcome && (
        <Alert
          ref={outcomeRef}
          tabIndex={-1}
          color={moderation.outcome.ok ? 'teal' : 'red'}
          role={moderation.outcome.ok ? 'status' : 'alert'}
          data-testid="moderation-outcome"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={moderation.clearOutcome}
        >
          {moderation.outcome.text}
        </Alert>
      )}
      <Text size="xs" c="dimmed" id={captionId}>
        Room stream, newest last; times are UTC (HH:MM:SS).
      </Text>
      <ScrollArea.Autosize mah={420} type="auto">
        <Stack gap={6} role="log" aria-label="Room stream" aria-describedby={captionId} aria-live="polite" data-testid="room-stream">
          {stream.length === 0 && (
            <Text size="sm" c="dimmed">
              Messages and events in the room appear here as they are sent, each message with its id.
            </Text>
          )}
          {stream.map((e) => (
            <StreamLine
              key={`${e.kind}-${e.id}`}
              entry={e}
              actions={e.kind === 'message' ? offered(e.userId) : []}
              onAction={(action, message) => setOpen({ action, message })}
            >
              {open && e.kind === 'message' && open.message.id === e.id && (
                <ActionForm
                  key={open.action}
                  action={open.action}
                  message={open.message}
                  canDisconnect={rights.disconnectUsers}
                  busy={moderation.busy}
                  onCancel={() => setOpen(null)}
                  onSubmit={async (reason, deny) => {
                    const done =
                      open.action === 'delete'
                        ? await moderation.deleteMessage(open.message, reason)
                        : open.action === 'disconnect'
                          ? await moderation.disconnectUser(open.message.userId, reason)
                          : await moderation.denyUser(open.message.userId, reason, deny);
                    if (done) setOpen(null);
                  }}
                />
              )}
            </StreamLine>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}

function ActionForm({
  action,
  message,
  canDisconnect,
  busy,
  onCancel,
  onSubmit,
}: {
  action: LineAction;
  message: { id: string; userId: string };
  canDisconnect: boolean;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (reason: string, deny: { disconnectNow: boolean; expiresAt: string }) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [denyFor, setDenyFor] = useState('');
  const [disconnectNow, setDisconnectNow] = useState(canDisconnect);
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);
  // The form opens inside the stream's scroll area: bring all of it into view, then focus its reason.
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
    input.current?.focus({ preventScroll: true });
  }, [action]);

  const label = action === 'delete' ? 'Delete reason' : action === 'disconnect' ? 'Disconnect reason' : 'Deny reason';
  const title =
    action === 'delete'
      ? `Delete message ${message.id} from ${message.userId}`
      : action === 'disconnect'
        ? `Disconnect ${message.userId} from this room`
        : `Deny ${message.userId} in this room`;
  const help =
    action === 'delete'
      ? 'IVS tells every client in the room to remove the message; clients show your reason. IVS keeps no copy of messages.'
      : action === 'disconnect'
        ? 'Closes every connection of this userId in the room now. They can join again with another valid token.'
        : 'The console mints no new token for this userId in this room. A token already issued still connects until it expires.';
  const submitLabel = action === 'delete' ? 'Confirm delete' : action === 'disconnect' ? 'Disconnect user' : 'Confirm deny';

  const submit = () => {
    const parsed = moderationReasonSchema.safeParse(reason);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Enter a reason.');
      input.current?.focus();
      return;
    }
    setError(null);
    const minutes = Number(denyFor);
    const expiresAt = minutes ? new Date(Date.now() + minutes * 60_000).toISOString() : '';
    void onSubmit(parsed.data, { disconnectNow: canDisconnect && disconnectNow, expiresAt });
  };

  return (
    <Paper ref={box} withBorder p="sm" ml="xl" data-testid="stream-action-form">
      <form
        aria-label={title}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {title}
          </Text>
          <Text size="xs" c="dimmed">
            {help} Recorded in the audit log.
          </Text>
          <TextInput
            ref={input}
            label={label}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={error}
            maxLength={256}
          />
          {action === 'deny' && (
            <Group align="flex-end">
              <NativeSelect
                label="Deny for"
                data={DENY_FOR.map((o) => ({ value: o.value, label: o.label }))}
                value={denyFor}
                onChange={(e) => setDenyFor(e.currentTarget.value)}
              />
              {canDisconnect && (
                <Checkbox label="Also disconnect now" checked={disconnectNow} onChange={(e) => setDisconnectNow(e.currentTarget.checked)} />
              )}
            </Group>
          )}
          <Group gap="xs">
            <Button type="submit" size="xs" color={action === 'disconnect' ? 'orange' : 'red'} loading={busy}>
              {submitLabel}
            </Button>
            <Button size="xs" variant="default" onClick={onCancel} disabled={busy}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
