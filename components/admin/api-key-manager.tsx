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
import { revokeApiKeyAction } from '@/lib/actions/revoke-api-key-action';
import type { ApiKey } from '@/lib/shared/staff/api-key-view';
import { ROLES, type Role } from '@/lib/shared/policy/roles';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : 'never');

export function ApiKeyManager({ apiKeys }: { apiKeys: ApiKey[] }) {
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
      const result = await createApiKeyAction({ name, role });
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
              <Table.Th>Created</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {apiKeys.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
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
                  <Text size="xs" title={k.createdAt}>
                    {when(k.createdAt)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    by {k.createdBy}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" title={k.lastUsedAt ?? undefined}>
                    {when(k.lastUsedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge
                    color={k.revokedAt ? 'red' : 'teal'}
                    variant="light"
                    title={k.revokedAt ? `revoked by ${k.revokedBy} at ${k.revokedAt}` : undefined}
                  >
                    {k.revokedAt ? 'revoked' : 'active'}
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
    </Stack>
  );
}
