'use client';

import { useMemo, useState, useTransition } from 'react';
import { Controller, useForm, useWatch, type Path, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { setServerErrors } from '@/lib/contract/form';
import { deletePresetAction } from '@/lib/actions/delete-preset-action';
import { savePresetAction } from '@/lib/actions/save-preset-action';
import { formatMinutes } from '@/lib/shared/tokens/expiry';
import { CAPABILITIES, CAPABILITY_INFO, DURATION_LIMITS } from '@/lib/shared/tokens/limits';
import { presetSchema, type Preset, type PresetRequest } from '@/lib/shared/presets/schema';
import { ROLES, type Role } from '@/lib/shared/policy/roles';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import { presetRoleFieldErrors, presetRoleProblems } from '@/lib/shared/presets/policy';
import { AttributesEditor } from '@/components/mint/attributes-editor';
import { useConfirm } from '@/components/ui/confirm-dialog';

const EMPTY: PresetRequest = {
  name: '',
  roles: [],
  roomArn: '',
  capabilities: ['SEND_MESSAGE'],
  sessionDurationInMinutes: 60,
  attributes: [],
  reasonTemplate: '',
};

/** Admins create, change and delete mint presets; the mint form offers each to the roles it names. */
export function PresetManager({ presets, policies }: { presets: Preset[]; policies: Record<Role, RolePolicy> }) {
  const [list, setList] = useState(presets);
  const { dialog, ask } = useConfirm();
  const [editing, setEditing] = useState<Preset | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();

  const remove = async (p: Preset) => {
    const yes = await ask({
      title: `Delete the preset “${p.name}”?`,
      body: `The mint form stops offering it to ${p.roles.join(', ')} at once. Tokens minted with it are not affected. It cannot be restored (the audit log keeps what it held).`,
      confirmLabel: `Delete “${p.name}”`,
    });
    if (!yes) return;
    setMessage(null);
    start(async () => {
      const result = await deletePresetAction(p.id);
      if (result.ok || result.code === 'NOT_FOUND') setList((l) => l.filter((x) => x.id !== p.id));
      setMessage(result.ok ? { ok: true, text: `Deleted the preset “${p.name}”.` } : { ok: false, text: result.message });
    });
  };

  return (
    <Stack gap="lg">
      {dialog}
      {message && (
        <Alert color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'} data-testid="preset-outcome">
          {message.text}
        </Alert>
      )}
      <Table aria-label="Presets" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Grants</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.roles.join(', ')}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {p.capabilities.map((c) => (
                    <Badge key={c} variant="light" size="sm">
                      {c}
                    </Badge>
                  ))}
                  {p.attributes.length > 0 && <Text size="xs">{p.attributes.length} attribute(s)</Text>}
                  {p.roomArn && <Text size="xs">room {p.roomArn}</Text>}
                </Group>
              </Table.Td>
              <Table.Td>{formatMinutes(p.sessionDurationInMinutes)}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => {
                      setEditing(p);
                      setFormKey((k) => k + 1);
                    }}
                    aria-label={`Edit ${p.name}`}
                  >
                    Edit
                  </Button>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => void remove(p)}
                    disabled={pending}
                    aria-label={`Delete ${p.name}`}
                  >
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <PresetForm
        key={formKey}
        preset={editing}
        policies={policies}
        onCancel={() => {
          setEditing(null);
          setFormKey((k) => k + 1);
        }}
        onSaved={(saved) => {
          setList((l) => [...l.filter((x) => x.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)));
          setMessage({ ok: true, text: `Saved “${saved.name}”.` });
          setEditing(null);
          setFormKey((k) => k + 1);
        }}
      />
    </Stack>
  );
}

function PresetForm({
  preset,
  policies,
  onSaved,
  onCancel,
}: {
  preset: Preset | null;
  policies: Record<Role, RolePolicy>;
  onSaved: (p: Preset) => void;
  onCancel: () => void;
}) {
  const [pending, start] = useTransition();
  const resolver = useMemo(() => zodResolver(presetSchema) as unknown as Resolver<PresetRequest>, []);
  const defaults: PresetRequest = preset
    ? {
        name: preset.name,
        roles: preset.roles,
        roomArn: preset.roomArn,
        capabilities: preset.capabilities,
        sessionDurationInMinutes: preset.sessionDurationInMinutes,
        attributes: preset.attributes,
        reasonTemplate: preset.reasonTemplate,
      }
    : EMPTY;
  const { control, register, handleSubmit, setError, formState } = useForm<PresetRequest>({ resolver, defaultValues: defaults });
  const watched = useWatch({ control }) as PresetRequest;
  // The roles' policies as they are: a preset a named role could never use is refused on save (the server says the same).
  const problems = presetRoleProblems(
    {
      roles: watched.roles ?? [],
      roomArn: watched.roomArn ?? '',
      capabilities: watched.capabilities ?? [],
      sessionDurationInMinutes: Number(watched.sessionDurationInMinutes),
      attributes: watched.attributes ?? [],
    },
    policies,
  );
  const onSubmit = handleSubmit((values) => {
    const refused = presetRoleProblems(values, policies);
    if (refused.length) {
      for (const [field, message] of Object.entries(presetRoleFieldErrors(refused))) {
        setError(field as Path<PresetRequest>, { type: 'policy', message });
      }
      return;
    }
    start(async () => {
      const result = await savePresetAction(preset?.id, values);
      if (result.ok) return onSaved(result.data);
      setServerErrors(setError, result);
    });
  });
  const e = formState.errors;
  return (
    <Card withBorder>
      <form onSubmit={(ev) => void onSubmit(ev)} noValidate aria-label={preset ? `Edit preset ${preset.name}` : 'New preset'}>
        <Stack gap="sm">
          <Title order={2} size="h5">
            {preset ? `Edit “${preset.name}”` : 'New preset'}
          </Title>
          <TextInput label="Preset name" {...register('name')} error={e.name?.message} />
          <Controller
            control={control}
            name="roles"
            render={({ field }) => (
              <Checkbox.Group label="Roles that may use it" value={field.value} onChange={field.onChange} error={e.roles?.message}>
                <Group mt={4}>
                  {ROLES.map((r) => (
                    <Checkbox key={r} value={r} label={r} />
                  ))}
                </Group>
              </Checkbox.Group>
            )}
          />
          <TextInput
            label="Room ARN (optional)"
            description="Empty: the form keeps the room chosen there."
            {...register('roomArn')}
            error={e.roomArn?.message}
            spellCheck={false}
          />
          <Controller
            control={control}
            name="capabilities"
            render={({ field }) => (
              <Checkbox.Group label="Capabilities" value={field.value ?? []} onChange={field.onChange} error={e.capabilities?.message}>
                <Group mt={4}>
                  {CAPABILITIES.map((c) => (
                    <Checkbox key={c} value={c} label={CAPABILITY_INFO[c].label} />
                  ))}
                </Group>
              </Checkbox.Group>
            )}
          />
          <Controller
            control={control}
            name="sessionDurationInMinutes"
            render={({ field }) => (
              <NumberInput
                label="Session duration (minutes)"
                min={DURATION_LIMITS.min}
                max={DURATION_LIMITS.max}
                value={field.value}
                onChange={(v) => field.onChange(typeof v === 'number' ? v : Number(v))}
                error={e.sessionDurationInMinutes?.message}
                w={240}
              />
            )}
          />
          <AttributesEditor control={control} />
          <TextInput
            label="Reason template"
            description="Prefills the mint form's reason. Left as it is, it does not count as a required reason: the person completes it."
            {...register('reasonTemplate')}
            error={e.reasonTemplate?.message}
          />
          {problems.length > 0 && (
            <Alert color="orange" title="Some roles could never use this preset" data-testid="preset-policy-warning">
              <Stack gap={2}>
                {problems.map((p, i) => (
                  <Text size="sm" key={i}>
                    {p.role}: {p.message} ({p.rule})
                  </Text>
                ))}
                <Text size="sm">Untick those roles or change what the preset grants; it cannot be saved like this.</Text>
              </Stack>
            </Alert>
          )}
          {e.root?.server && (
            <Alert color="red" role="alert">
              {e.root.server.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={pending}>
              {preset ? 'Save preset' : 'Create preset'}
            </Button>
            {preset && (
              <Button variant="default" onClick={onCancel}>
                Cancel
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
