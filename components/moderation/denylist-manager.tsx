'use client';

import { useState, useTransition } from 'react';
import { Alert, Button, Card, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { addDenylistEntryAction } from '@/lib/actions/add-denylist-entry-action';
import { removeDenylistEntryAction } from '@/lib/actions/remove-denylist-entry-action';
import type { DenylistEntry } from '@/lib/shared/moderation/denylist-view';
import { Time } from '@/components/ui/time';
import { ExactValue } from '@/components/ui/exact-value';
import { decodeExpiry, formatUtc } from '@/lib/shared/tokens/expiry';

const QUICK_ENDS = [
  { label: 'In 1 h', ms: 3_600_000 },
  { label: 'In 24 h', ms: 86_400_000 },
  { label: 'In 7 days', ms: 7 * 86_400_000 },
] as const;

/** A `datetime-local` value for this instant in UTC (the field's zone). */
function utcFieldValue(ms: number): string {
  return new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().slice(0, 16);
}

/** The UTC end as the member's own clock reads it, beside the field. */
function localBeside(value: string): string {
  if (!value) return 'No end: until removed.';
  const date = new Date(`${value}Z`);
  if (Number.isNaN(date.getTime())) return '';
  return `${formatUtc(date)} is ${decodeExpiry(date).local} your time.`;
}

/**
 * The deny list: userIds the console will not mint for, in one room or every room. IVS cannot
 * revoke a token already issued, so a ban is "disconnect now and mint no more".
 */
export function DenylistManager({
  entries,
  roomArn,
  canDisconnect,
  everyRoom = false,
  readOnly = false,
}: {
  entries: DenylistEntry[];
  roomArn: string;
  canDisconnect: boolean;
  /** The role may deny in every room (its room scope is every room); the server checks it again. */
  everyRoom?: boolean;
  /** Roles that read the audit log but do not moderate see the list only. */
  readOnly?: boolean;
}) {
  const [list, setList] = useState(entries);
  const [userId, setUserId] = useState('');
  const [reason, setReason] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [allRooms, setAllRooms] = useState(false);
  const [disconnectNow, setDisconnectNow] = useState(canDisconnect);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();

  const add = () => {
    setOutcome(null);
    setErrors({});
    start(async () => {
      const result = await addDenylistEntryAction({
        userId,
        roomArn: allRooms ? '' : roomArn,
        reason,
        // The field's value has no zone and means UTC; the shared schema reads it so on the server too.
        expiresAt,
        disconnectNow: disconnectNow && !allRooms ? true : disconnectNow && allRooms && Boolean(roomArn),
      });
      if (!result.ok) {
        setErrors(result.fieldErrors);
        setOutcome({ ok: false, text: result.message });
        return;
      }
      setList((l) => [result.data.entry, ...l]);
      const { entry, disconnected, disconnectError, auditWarning } = result.data;
      setOutcome({
        ok: !disconnectError && !auditWarning,
        text: `${entry.userId} is denied ${entry.roomArn ? 'in this room' : 'in every room'}: no new token will be minted.${
          disconnected ? ' Disconnected from the room now.' : disconnectError ? ` The disconnect failed: ${disconnectError}` : ''
        }${auditWarning ? ` ${auditWarning}` : ''}`,
      });
      setUserId('');
      setReason('');
      setExpiresAt('');
    });
  };

  const remove = (id: string) => {
    setOutcome(null);
    start(async () => {
      const result = await removeDenylistEntryAction({ id });
      if (result.ok || result.code === 'NOT_FOUND') setList((l) => l.filter((e) => e.id !== id));
      if (!result.ok) setOutcome({ ok: false, text: result.message });
    });
  };

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h5">
          {readOnly ? 'Deny list (read only)' : 'Deny list'}
        </Title>
        <Alert color="gray" variant="light" title="What a ban can do">
          IVS Chat cannot revoke a token that was already issued: it stays valid until it expires. So a ban here means{' '}
          <b>disconnect now and mint no more</b>: the console refuses every new token for the userId (in this room or in every room) until
          the entry ends or is removed, and “Disconnect now” closes the connections the user has.
        </Alert>
        {!readOnly && (
          <form
            aria-label="Add to the deny list"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              add();
            }}
          >
            <Stack gap="xs">
              <Group grow align="flex-start">
                <TextInput
                  label="userId to deny"
                  value={userId}
                  onChange={(e) => setUserId(e.currentTarget.value)}
                  error={errors.userId}
                  spellCheck={false}
                  autoComplete="off"
                />
                <TextInput label="Deny reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={errors.reason} />
                <Stack gap={4}>
                  <TextInput
                    label="Ends (UTC, optional)"
                    type="datetime-local"
                    description="Date and time in UTC, like every time in the console; empty: until removed."
                    value={expiresAt}
                    onChange={(e) => setExpiresAt(e.currentTarget.value)}
                    error={errors.expiresAt}
                  />
                  <Group gap={4}>
                    {QUICK_ENDS.map((q) => (
                      <Button
                        key={q.label}
                        size="compact-xs"
                        variant="default"
                        onClick={() => setExpiresAt(utcFieldValue(Date.now() + q.ms))}
                      >
                        {q.label}
                      </Button>
                    ))}
                  </Group>
                  <Text size="xs" data-testid="denylist-end-local" aria-live="polite">
                    {localBeside(expiresAt)}
                  </Text>
                </Stack>
              </Group>
              <Group>
                {everyRoom && <Checkbox label="In every room" checked={allRooms} onChange={(e) => setAllRooms(e.currentTarget.checked)} />}
                {canDisconnect && (
                  <Checkbox
                    label="Disconnect now from the chosen room"
                    checked={disconnectNow}
                    onChange={(e) => setDisconnectNow(e.currentTarget.checked)}
                  />
                )}
              </Group>
              {errors.roomArn && (
                <Text size="sm" c="red" role="alert">
                  {errors.roomArn}
                </Text>
              )}
              {outcome && (
                <Alert color={outcome.ok ? 'teal' : 'red'} role={outcome.ok ? 'status' : 'alert'} data-testid="denylist-outcome">
                  {outcome.text}
                </Alert>
              )}
              <Group>
                <Button type="submit" color="red" loading={pending} disabled={!allRooms && !roomArn}>
                  Deny this userId
                </Button>
                {!allRooms && !roomArn && (
                  <Text size="xs" c="dimmed">
                    {everyRoom ? 'Choose a room above, or tick “In every room”.' : 'Choose a room above.'}
                  </Text>
                )}
              </Group>
            </Stack>
          </form>
        )}
        <Table aria-label="Denied userIds" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>userId</Table.Th>
              <Table.Th>Room</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Ends</Table.Th>
              <Table.Th>Added by</Table.Th>
              {!readOnly && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={readOnly ? 5 : 6}>
                  <Text size="sm" c="dimmed">
                    Nobody is denied.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {list.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>
                  <ExactValue value={e.userId} />
                </Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{e.roomArn ?? 'every room'}</Table.Td>
                <Table.Td>{e.reason}</Table.Td>
                <Table.Td>{e.expiresAt ? <Time iso={e.expiresAt} size="xs" layout="stack" /> : 'until removed'}</Table.Td>
                <Table.Td>{e.createdBy}</Table.Td>
                {!readOnly && (
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => remove(e.id)}
                      aria-label={`Remove ${e.userId} from the deny list`}
                      disabled={pending}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
