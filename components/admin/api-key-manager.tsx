'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Alert, Button, Card, Code, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { AdminOutcomeAlert, AdminTable, StateBadge, useAdminActions } from './admin-table';
import { ShownOnce } from '@/components/ui/shown-once';
import { createApiKeyAction } from '@/lib/actions/create-api-key-action';
import { createServiceAccountAction } from '@/lib/actions/create-service-account-action';
import { revokeApiKeyAction } from '@/lib/actions/revoke-api-key-action';
import { setServiceAccountDisabledAction } from '@/lib/actions/set-service-account-disabled-action';
import type { ApiKey, ServiceAccount } from '@/lib/shared/staff/api-key-view';
import { ROLES, type Role } from '@/lib/shared/policy/roles';
import { Time } from '@/components/ui/time';

const STATE_LABEL: Record<ApiKey['state'], string> = { active: 'active', revoked: 'revoked', suspended: 'suspended (owner disabled)' };
const STATE_COLOR: Record<ApiKey['state'], string> = { active: 'teal', revoked: 'red', suspended: 'orange' };

export function ApiKeyManager({
  apiKeys,
  serviceAccounts,
  members,
  selfEmail,
}: {
  apiKeys: ApiKey[];
  serviceAccounts: ServiceAccount[];
  /** Active members who may own a key. */
  members: string[];
  selfEmail: string;
}) {
  const [owner, setOwner] = useState(`staff:${selfEmail}`);
  const [accountName, setAccountName] = useState('');
  const ownerChoices = [
    { group: 'Members', items: members.map((m) => ({ value: `staff:${m}`, label: m })) },
    {
      group: 'Service accounts',
      items: serviceAccounts.filter((a) => !a.disabled).map((a) => ({ value: `service:${a.name}`, label: a.name })),
    },
  ].filter((g) => g.items.length > 0);
  const ownerRef = (value: string) =>
    value.startsWith('service:') ? { kind: 'service' as const, name: value.slice(8) } : { kind: 'staff' as const, email: value.slice(6) };
  const router = useRouter();
  const [creating, startTransition] = useTransition();
  const { pending, outcome, run, dialog } = useAdminActions();
  const busy = pending || creating;
  const [createError, setCreateError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ id: string; name: string; role: Role; key: string } | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('qa');

  const create = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      setCreateError(null);
      setCreated(null);
      const result = await createApiKeyAction({ name, role, owner: ownerRef(owner) });
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        setCreateError(result.message);
        return;
      }
      setFieldErrors({});
      setName('');
      setCreated({ id: result.data.apiKey.id, name: result.data.apiKey.name, role: result.data.apiKey.role, key: result.data.key });
      router.refresh();
    });
  };

  const revoke = (key: ApiKey) =>
    void run(() => revokeApiKeyAction({ apiKeyId: key.id }), {
      confirm: {
        title: `Revoke the API key ${key.name}?`,
        body: `The key ${key.prefix}… (${key.role}${key.owner ? `, owned by ${key.owner.name}` : ''}) is refused from its next request, for good: a revoked key cannot be restored. Pipelines using it need a new key. Recorded in the audit log.`,
        confirmLabel: `Revoke ${key.name}`,
      },
      // A revoked key is worthless, and showing it still invites someone to copy it into a pipeline.
      onSuccess: (revoked) => setCreated((c) => (c?.id === revoked.id ? null : c)),
      success: (revoked) => `Revoked the API key ${revoked.name}: its next request is refused.`,
    });

  const setAccountDisabled = (a: ServiceAccount, disabled: boolean) =>
    void run(() => setServiceAccountDisabledAction({ serviceAccountId: a.id, disabled }), {
      confirm: disabled
        ? {
            title: `Disable the service account ${a.name}?`,
            body: `Every API key it owns is suspended (refused) until it is enabled again. Recorded in the audit log.`,
            confirmLabel: `Disable ${a.name}`,
          }
        : undefined,
      success: (s) =>
        s.disabled
          ? `The service account ${s.name} is disabled; its API keys are suspended.`
          : `The service account ${s.name} is enabled again.`,
    });

  return (
    <Stack gap="md">
      {dialog}
      <div>
        <Title order={2} size="h3">
          API keys
        </Title>
        <Text c="dimmed" size="sm">
          Keys for pipelines calling <Code>/api/v1</Code> (see <a href="/api/v1/openapi.json">openapi.json</a>). A key acts with its
          role&apos;s policy and rate limit; revoking it refuses its next request.
        </Text>
      </div>
      <form onSubmit={create} aria-label="Create an API key" noValidate>
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Key name"
            description="Lowercase letters, digits, . _ -"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            error={fieldErrors.name}
            autoComplete="off"
            w={240}
          />
          <NativeSelect
            label="Key role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            data={[...ROLES]}
            error={fieldErrors.role}
          />
          <NativeSelect
            label="Owner"
            description="Disabling the owner suspends the key"
            value={owner}
            onChange={(e) => setOwner(e.currentTarget.value)}
            data={ownerChoices}
            error={fieldErrors.owner}
          />
          <Button type="submit" mt={24} loading={creating}>
            Create API key
          </Button>
        </Group>
      </form>
      {created && (
        <Card withBorder data-testid="api-key-created">
          <Stack gap="sm">
            <Text fw={600}>{`Created API key ${created.name} (${created.role})`}</Text>
            <ShownOnce
              label="API key"
              value={created.key}
              valueTestId="api-key-value"
              copyLabel="Copy API key"
              warningTitle="Shown only now"
              warning="This is the only time the key is shown. Store it in your pipeline's secrets now; the console keeps only its hash."
            />
          </Stack>
        </Card>
      )}
      {createError && (
        <Alert color="red" role="alert" title="Not created">
          {createError}
        </Alert>
      )}
      <AdminOutcomeAlert outcome={outcome} testId="api-key-outcome" />
      <AdminTable
        label="API keys"
        testId="api-key-table"
        minWidth={720}
        columns={['Name', 'Key', 'Role', 'Owner', 'Created', 'Last used', 'State', 'Actions']}
        empty="No API keys yet."
      >
        {apiKeys.map((k) => (
          <Table.Tr key={k.id} data-api-key={k.name}>
            <Table.Td>
              <Text size="sm">{k.name}</Text>
            </Table.Td>
            <Table.Td>
              <Code>{k.prefix}…</Code>
            </Table.Td>
            <Table.Td>{k.role}</Table.Td>
            <Table.Td>
              <Text size="xs">{k.owner ? k.owner.name : '(none)'}</Text>
              <Text size="xs" c="dimmed">
                {k.owner ? (k.owner.kind === 'staff' ? 'member' : 'service account') : ''}
                {k.owner?.disabled ? ', disabled' : ''}
              </Text>
            </Table.Td>
            <Table.Td>
              <Time iso={k.createdAt} size="xs" layout="stack" />
              <Text size="xs" c="dimmed">
                by {k.createdBy}
              </Text>
            </Table.Td>
            <Table.Td>{k.lastUsedAt ? <Time iso={k.lastUsedAt} size="xs" layout="stack" /> : <Text size="xs">never</Text>}</Table.Td>
            <Table.Td>
              <StateBadge
                label={STATE_LABEL[k.state]}
                color={STATE_COLOR[k.state]}
                title={k.revokedAt ? `revoked by ${k.revokedBy} at ${k.revokedAt}` : undefined}
              />
            </Table.Td>
            <Table.Td>
              {!k.revokedAt && (
                <Button size="xs" variant="light" color="red" disabled={busy} onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>
                  Revoke
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </AdminTable>
      <Title order={3} size="h4">
        Service accounts
      </Title>
      <Text c="dimmed" size="sm">
        Owners of keys that are not people. Disabling one suspends every key it owns until it is enabled again.
      </Text>
      <form
        aria-label="Create a service account"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => createServiceAccountAction({ name: accountName }), {
            onSuccess: () => {
              setFieldErrors({});
              setAccountName('');
            },
            success: (a) => `Created the service account ${a.name}.`,
          }).then((result) => {
            if (result && !result.ok) setFieldErrors(result.fieldErrors ?? {});
          });
        }}
      >
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Service account name"
            value={accountName}
            onChange={(e) => setAccountName(e.currentTarget.value)}
            error={fieldErrors.serviceAccount}
            autoComplete="off"
            w={240}
          />
          <Button type="submit" mt={24} loading={pending} variant="default" disabled={busy}>
            Create service account
          </Button>
        </Group>
      </form>
      <AdminTable
        label="Service accounts"
        testId="service-account-table"
        minWidth={480}
        columns={['Name', 'State', 'Actions']}
        empty="No service accounts yet."
      >
        {serviceAccounts.map((a) => (
          <Table.Tr key={a.id} data-service-account={a.name}>
            <Table.Td>{a.name}</Table.Td>
            <Table.Td>
              <StateBadge label={a.disabled ? 'disabled' : 'active'} color={a.disabled ? 'red' : 'teal'} />
            </Table.Td>
            <Table.Td>
              <Button
                size="xs"
                variant="light"
                color={a.disabled ? 'teal' : 'red'}
                disabled={busy}
                aria-label={`${a.disabled ? 'Enable' : 'Disable'} service account ${a.name}`}
                onClick={() => setAccountDisabled(a, !a.disabled)}
              >
                {a.disabled ? 'Enable' : 'Disable'}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </AdminTable>
    </Stack>
  );
}
