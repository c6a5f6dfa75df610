'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Alert, Button, Group, NativeSelect, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { AdminOutcomeAlert, AdminTable, StateBadge, useAdminActions } from './admin-table';
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
  const [adding, startTransition] = useTransition();
  const { pending, outcome, run, dialog } = useAdminActions();
  const [addError, setAddError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ email: string; password: string | null } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [password, setPassword] = useState('');
  const [reset, setReset] = useState<{ email: string; password: string } | null>(null);
  const busy = pending || adding;

  const changeRole = (m: Staff, next: Role) => {
    if (next === m.role) return;
    void run(() => setStaffRoleAction({ staffId: m.id, role: next }), {
      confirm: {
        title: `Change the role of ${m.email}?`,
        body: `From ${m.role} to ${next}. From their next request ${m.email} can do only what the ${next} role may do; their API keys keep their own roles. Recorded in the audit log.`,
        confirmLabel: `Make ${m.email} ${next}`,
        color: 'orange',
      },
      success: (s) => `${s.email} is now ${s.role} (was ${m.role}).`,
    });
  };

  const setDisabled = (m: Staff, disabled: boolean) =>
    void run(() => setStaffDisabledAction({ staffId: m.id, disabled }), {
      confirm: disabled
        ? {
            title: `Disable ${m.email}?`,
            body: `This signs ${m.email} out everywhere at once, refuses their sign-in, and suspends every API key they own until they are enabled again. A bulk run of theirs stops before its next rows. Recorded in the audit log.`,
            confirmLabel: `Disable ${m.email}`,
          }
        : undefined,
      success: (s) =>
        s.disabled
          ? `${s.email} is disabled: every session has ended and their API keys are suspended.`
          : `${s.email} is enabled: they can sign in again and their API keys work again.`,
    });

  const endSessions = (m: Staff) =>
    void run(() => endStaffSessionsAction({ staffId: m.id }), {
      confirm: {
        title: `Sign ${m.email} out everywhere?`,
        body: `Every session of ${m.email} ends now; their next request goes to sign-in. Their account and API keys stay as they are.`,
        confirmLabel: `Sign ${m.email} out`,
        color: 'orange',
      },
      success: (r) => `Every session of ${r.email} has ended; their next request goes to sign-in.`,
    });

  const resetPassword = (m: Staff) =>
    void run(() => resetStaffPasswordAction({ staffId: m.id }), {
      confirm: {
        title: `Reset the password of ${m.email}?`,
        body: `Their password stops working now and every session of theirs ends. You get a one-time password to pass on; their first sign-in with it must set a new one.`,
        confirmLabel: `Reset the password of ${m.email}`,
        color: 'orange',
      },
      onSuccess: (r) => setReset(r),
      success: (r) => `The password of ${r.email} was reset and every session of theirs has ended.`,
    });

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      setAddError(null);
      setNotice(null);
      const result = await addStaffAction({ email, role, password });
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        setAddError(result.message);
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
      {dialog}
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
          <Button type="submit" mt={24} loading={adding}>
            Add staff member
          </Button>
        </Group>
      </form>
      {addError && (
        <Alert color="red" role="alert" title="Not added">
          {addError}
        </Alert>
      )}
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
      <AdminOutcomeAlert outcome={outcome} testId="staff-outcome" />
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
      <AdminTable label="Staff" testId="staff-table" minWidth={640} columns={['Email', 'Role', 'State', 'Sign-in', 'Actions']}>
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
                  disabled={self || busy}
                  onChange={(e) => changeRole(m, e.currentTarget.value as Role)}
                  size="xs"
                />
              </Table.Td>
              <Table.Td>
                <StateBadge label={m.disabled ? 'disabled' : 'active'} color={m.disabled ? 'red' : 'teal'} />
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
                      disabled={busy}
                      onClick={() => setDisabled(m, !m.disabled)}
                      aria-label={`${m.disabled ? 'Enable' : 'Disable'} ${m.email}`}
                    >
                      {m.disabled ? 'Enable' : 'Disable'}
                    </Button>
                    <Button
                      size="xs"
                      variant="default"
                      disabled={busy || m.disabled}
                      onClick={() => endSessions(m)}
                      aria-label={`Sign out ${m.email} everywhere`}
                    >
                      Sign out everywhere
                    </Button>
                    {m.hasPassword && (
                      <Button
                        size="xs"
                        variant="default"
                        disabled={busy}
                        onClick={() => resetPassword(m)}
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
      </AdminTable>
    </Stack>
  );
}
