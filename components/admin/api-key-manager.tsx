'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  NativeSelect,
  Stack,
  Table,
  TableScrollContainer,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
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
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ name: string; role: Role; key: string } | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('qa');

  const create = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      setError(null);
      setCreated(null);
      const result = await createApiKeyAction({ name, role, owner: ownerRef(owner) });
      if (!result.ok) {
        setFieldErrors(result.fieldErrors ?? {});
        setError(result.message);
        return;
      }
      setFieldErrors({});
      setName('');
      setCreated({ name: result.data.apiKey.name, role: result.data.apiKey.role, key: result.data.key });
      router.refresh();
    });
  };

  const revoke = (key: ApiKey) =>
    startTransition(async () => {
      setError(null);
      const result = await revokeApiKeyAction({ apiKeyId: key.id });
      if (!result.ok) setError(result.message);
      router.refresh();
    });

  return (
    <Stack gap="md">
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
          <Button type="submit" mt={24} loading={pending}>
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
      {error && (
        <Alert color="red" role="alert" title="Not changed">
          {error}
        </Alert>
      )}
      <TableScrollContainer minWidth={720}>
        <Table striped withTableBorder aria-label="API keys" data-testid="api-key-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {apiKeys.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text size="sm" c="dimmed">
                    No API keys yet.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
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
                  <Badge
                    color={STATE_COLOR[k.state]}
                    variant="light"
                    title={k.revokedAt ? `revoked by ${k.revokedBy} at ${k.revokedAt}` : undefined}
                  >
                    {STATE_LABEL[k.state]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {!k.revokedAt && (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      disabled={pending}
                      onClick={() => revoke(k)}
                      aria-label={`Revoke ${k.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScrollContainer>
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
          startTransition(async () => {
            setError(null);
            const result = await createServiceAccountAction({ name: accountName });
            if (!result.ok) {
              setFieldErrors(result.fieldErrors ?? {});
              setError(result.message);
              return;
            }
            setAccountName('');
            router.refresh();
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
          <Button type="submit" mt={24} loading={pending} variant="default">
            Create service account
          </Button>
        </Group>
      </form>
      <Table striped withTableBorder aria-label="Service accounts" data-testid="service-account-table">
        <Table.Tbody>
          {serviceAccounts.map((a) => (
            <Table.Tr key={a.id} data-service-account={a.name}>
              <Table.Td>{a.name}</Table.Td>
              <Table.Td>
                <Badge color={a.disabled ? 'red' : 'teal'} variant="light">
                  {a.disabled ? 'disabled' : 'active'}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="light"
                  color={a.disabled ? 'teal' : 'red'}
                  disabled={pending}
                  aria-label={`${a.disabled ? 'Enable' : 'Disable'} service account ${a.name}`}
                  onClick={() =>
                    startTransition(async () => {
                      setError(null);
                      const result = await setServiceAccountDisabledAction({ serviceAccountId: a.id, disabled: !a.disabled });
                      if (!result.ok) setError(result.message);
                      router.refresh();
                    })
                  }
                >
                  {a.disabled ? 'Enable' : 'Disable'}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
