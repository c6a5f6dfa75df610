'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import {
  Alert,
  Badge,
  Button,
  Group,
  NativeSelect,
  PasswordInput,
  Stack,
  Table,
  TableScrollContainer,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { ShownOnce } from '@/components/ui/shown-once';
import { addStaffAction } from '@/lib/actions/add-staff-action';
import { endStaffSessionsAction } from '@/lib/actions/end-staff-sessions-action';
import { resetStaffPasswordAction } from '@/lib/actions/reset-staff-password-action';
import { setStaffDisabledAction } from '@/lib/actions/set-staff-disabled-action';
import { setStaffRoleAction } from '@/lib/actions/set-staff-role-action';
import type { Staff } from '@/lib/shared/staff/view';
import { ROLES, type Role } from '@/lib/shared/policy/roles';

export function StaffManager({ members, selfId }: { members: Staff[]; selfId: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ email: string; password: string | null } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [password, setPassword] = useState('');

  const [done, setDone] = useState<string | null>(null);
  const [reset, setReset] = useState<{ email: string; password: string } | null>(null);
  const resetPassword = (staffId: string) =>
    startTransition(async () => {
      setError(null);
      setDone(null);
      setReset(null);
      const result = await resetStaffPasswordAction({ staffId });
      if (!result.ok) setError(result.message);
      else setReset(result.data);
      router.refresh();
    });
  const run = (work: () => Promise<{ ok: boolean; message?: string }>, success?: string) =>
    startTransition(async () => {
      setError(null);
      setDone(null);
      const result = await work();
      if (!result.ok) setError(result.message ?? 'Nothing was changed.');
      else if (success) setDone(success);
      router.refresh();
    });

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      setError(null);
      setNotice(null);
      const result = await addStaffAction({ email, role, password });
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        setError(result.message);
        return;
      }
      setFieldErrors({});
      setEmail('');
      setPassword('');
      setNotice({ email: result.data.staff.email, password: result.data.generatedPassword });
      router.refresh();
    });
  };

  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        Staff
      </Title>
      <form onSubmit={add} aria-label="Add a staff member" noValidate>
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            error={fieldErrors.email}
            autoComplete="off"
            w={260}
          />
          <NativeSelect
            label="Role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            data={[...ROLES]}
            error={fieldErrors.role}
          />
          <PasswordInput
            label="Password"
            description="Optional; generated when empty"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldErrors.password}
            autoComplete="new-password"
            w={220}
          />
          <Button type="submit" mt={24} loading={pending}>
            Add staff member
          </Button>
        </Group>
      </form>
      {notice && (
        <Stack gap="sm" data-testid="staff-added">
          <Alert color="teal" title={`Added ${notice.email}`}>
            {notice.password
              ? 'A one-time password was generated for them: their first sign-in must replace it.'
              : 'They can sign in with the password you set; their first sign-in must replace it.'}
          </Alert>
          {notice.password && (
            <ShownOnce
              label="Password"
              value={notice.password}
              valueTestId="generated-password"
              copyLabel="Copy password"
              warningTitle="Shown only now"
              warning="This is the only time their one-time password is shown; the console keeps only its hash. Pass it on privately; their first sign-in must replace it."
            />
          )}
        </Stack>
      )}
      {reset && (
        <Stack gap="sm" data-testid="password-reset">
          <Alert color="teal" title={`New one-time password for ${reset.email}`}>
            Every session of {reset.email} has ended; their first sign-in with this password must set a new one.
          </Alert>
          <ShownOnce
            label="One-time password"
            value={reset.password}
            valueTestId="reset-password"
            copyLabel="Copy password"
            warningTitle="Shown only now"
            warning="This is the only time this password is shown; the console keeps only its hash. Pass it on privately."
          />
        </Stack>
      )}
      {done && (
        <Alert color="teal" title="Done" role="status">
          {done}
        </Alert>
      )}
      {error && (
        <Alert color="red" role="alert" title="Not changed">
          {error}
        </Alert>
      )}
      <TableScrollContainer minWidth={640}>
        <Table striped withTableBorder aria-label="Staff" data-testid="staff-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Sign-in</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((m) => {
              const self = m.id === selfId;
              return (
                <Table.Tr key={m.id} data-email={m.email}>
                  <Table.Td>
                    <Text size="sm">{m.email}</Text>
                    {m.name && (
                      <Text size="xs" c="dimmed">
                        {m.name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      data={[...ROLES]}
                      disabled={self || pending}
                      onChange={(e) => {
                        const next = e.currentTarget.value;
                        run(() => setStaffRoleAction({ staffId: m.id, role: next }));
                      }}
                      size="xs"
                    />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={m.disabled ? 'red' : 'teal'} variant="light">
                      {m.disabled ? 'disabled' : 'active'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{m.hasPassword ? 'password' : 'single sign-on'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {self ? (
                      <Text size="xs" c="dimmed">
                        you
                      </Text>
                    ) : (
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="light"
                          color={m.disabled ? 'teal' : 'red'}
                          disabled={pending}
                          onClick={() => run(() => setStaffDisabledAction({ staffId: m.id, disabled: !m.disabled }))}
                          aria-label={`${m.disabled ? 'Enable' : 'Disable'} ${m.email}`}
                        >
                          {m.disabled ? 'Enable' : 'Disable'}
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          disabled={pending || m.disabled}
                          onClick={() =>
                            run(
                              () => endStaffSessionsAction({ staffId: m.id }),
                              `Every session of ${m.email} has ended; their next request goes to sign-in.`,
                            )
                          }
                          aria-label={`Sign out ${m.email} everywhere`}
                        >
                          Sign out everywhere
                        </Button>
                        {m.hasPassword && (
                          <Button
                            size="xs"
                            variant="default"
                            disabled={pending}
                            onClick={() => resetPassword(m.id)}
                            aria-label={`Reset the password of ${m.email}`}
                          >
                            Reset password
                          </Button>
                        )}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </TableScrollContainer>
    </Stack>
  );
}
