'use client';

import { useMemo, useState, useTransition } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Controller, useForm, useWatch } from 'react-hook-form';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Divider,
  FileButton,
  Group,
  List,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { CapabilitiesField } from '@/components/mint/capabilities-field';
import { DurationField } from '@/components/mint/duration-field';
import { RoomPicker } from '@/components/mint/room-picker';
import { isFailure, type Failure } from '@/lib/contract/result';
import { setServerErrors } from '@/lib/contract/form';
import type { RoomSummary } from '@/lib/ivschat/rooms';
import {
  BULK_MAX_ROWS,
  bulkJobSchema,
  describeRowError,
  sourceToRows,
  validateBulkRows,
  type BulkJobView,
  type BulkRowError,
} from '@/lib/shared/bulk/schema';
import type { Capability } from '@/lib/shared/tokens/limits';
import { DEFAULT_SESSION_MINUTES, REASON_LIMITS } from '@/lib/shared/tokens/limits';
import { checkMintRequest, type RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';

interface BulkFormValues {
  roomArn: string;
  capabilities: Capability[];
  sessionDurationInMinutes: number;
  reason: string;
  sourceKind: 'template' | 'csv';
  template: string;
  start: number;
  count: number;
  csv: string;
}

interface Problem {
  message: string;
  rowErrors?: BulkRowError[];
  invalidRows?: number;
  code?: string;
}

/** The bulk form and the member's recent jobs. The server validates everything again. */
export function BulkWorkspace({
  rooms,
  roomFailures,
  policy,
  role,
  recentJobs,
}: {
  rooms: RoomSummary[];
  roomFailures: { region: string; message: string }[];
  policy: RolePolicy;
  role: Role;
  recentJobs: BulkJobView[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [problem, setProblem] = useState<Problem | null>(null);
  const form = useForm<BulkFormValues>({
    defaultValues: {
      roomArn: '',
      capabilities: policy.capabilities.includes('SEND_MESSAGE') ? ['SEND_MESSAGE'] : [],
      sessionDurationInMinutes: Math.min(DEFAULT_SESSION_MINUTES, policy.maxSessionMinutes),
      reason: '',
      sourceKind: 'template',
      template: 'qa-{n}',
      start: 1,
      count: 100,
      csv: '',
    },
  });
  const { control, register, handleSubmit, setError, setValue, formState, clearErrors } = form;
  const sourceKind = useWatch({ control, name: 'sourceKind' });
  const csv = useWatch({ control, name: 'csv' });
  const csvRowCount = useMemo(() => {
    if (sourceKind !== 'csv' || !csv) return null;
    const rows = sourceToRows({ kind: 'csv', csv });
    return rows.ok ? rows.rows.length : null;
  }, [sourceKind, csv]);

  const onSubmit = handleSubmit((values) => {
    setProblem(null);
    clearErrors();
    const input = {
      roomArn: values.roomArn,
      capabilities: values.capabilities,
      sessionDurationInMinutes: values.sessionDurationInMinutes,
      reason: values.reason,
      source:
        values.sourceKind === 'template'
          ? { kind: 'template' as const, template: values.template, start: values.start, count: values.count }
          : { kind: 'csv' as const, csv: values.csv },
    };
    // The same checks the server makes, before anything is sent: the fields, the role's policy, every row.
    const parsed = bulkJobSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const [top, sub] = issue.path;
        const field = (top === 'source' ? String(sub) : String(top)) as keyof BulkFormValues;
        setError(field, { type: 'client', message: issue.message });
      }
      return;
    }
    const source = sourceToRows(parsed.data.source);
    if (!source.ok) {
      setProblem({ message: 'The CSV cannot be read; nothing was started.', rowErrors: source.errors, invalidRows: source.errors.length });
      return;
    }
    const refusals = checkMintRequest(role, policy, { ...parsed.data, userId: source.rows[0].userId, attributes: [] });
    if (refusals.length) {
      for (const r of refusals) if (r.field) setError(r.field, { type: 'policy', message: `${r.message} (${r.rule})` });
      setProblem({ message: refusals.map((r) => `${r.message} (${r.rule})`).join(' ') });
      return;
    }
    const { errors, invalidRows } = validateBulkRows(parsed.data, source.rows);
    if (invalidRows) {
      setProblem({
        message: `${invalidRows} of ${source.rows.length} rows are not valid; nothing was started. Fix them and start again.`,
        rowErrors: errors,
        invalidRows,
      });
      return;
    }
    startTransition(async () => {
      let response: Response;
      try {
        response = await fetch('/api/bulk/jobs', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
      } catch {
        setProblem({ message: 'The console could not be reached; nothing was started.' });
        return;
      }
      const body: unknown = await response.json().catch(() => ({}));
      if (response.ok && typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string') {
        router.push(`/bulk/${body.id}`);
        return;
      }
      if (!isFailure(body)) {
        setProblem({ message: `The bulk run could not start (HTTP ${response.status}).` });
        return;
      }
      const failure = body as Failure & { rowErrors?: BulkRowError[]; invalidRows?: number };
      setServerErrors(setError, failure, {
        root: false,
        field: (path) => (path.startsWith('source.') ? path.slice('source.'.length) : path),
      });
      setProblem({ message: failure.message, rowErrors: failure.rowErrors, invalidRows: failure.invalidRows, code: failure.code });
    });
  });

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Bulk mint
        </Title>
        <Text c="dimmed" size="sm">
          Many tokens for one room, one capability set and one duration, from a userId template or a CSV (up to{' '}
          {BULK_MAX_ROWS.toLocaleString('en-US')} rows). It runs on the server just under the account&apos;s CreateChatToken quota; every
          row is its own audit entry with the batch id. The tokens download once, when it is done.
        </Text>
      </div>
      {roomFailures.map((f) => (
        <Alert key={f.region} color="orange" title={`Rooms in ${f.region} could not be listed`}>
          {f.message} You can still paste a room ARN.
        </Alert>
      ))}
      <form onSubmit={onSubmit} noValidate aria-label="Bulk mint">
        <Stack gap="lg" maw={760}>
          <Controller
            control={control}
            name="roomArn"
            render={({ field, fieldState }) => (
              <RoomPicker
                rooms={rooms}
                value={field.value}
                onChange={field.onChange}
                onBlur={field.onBlur}
                inputRef={field.ref}
                error={fieldState.error?.message}
              />
            )}
          />
          <Controller
            control={control}
            name="capabilities"
            render={({ field, fieldState }) => (
              <CapabilitiesField
                value={field.value}
                onChange={field.onChange}
                error={fieldState.error?.message}
                role={role}
                allowed={policy.capabilities}
                reasonFor={policy.reasonRequiredFor}
              />
            )}
          />
          <Controller
            control={control}
            name="sessionDurationInMinutes"
            render={({ field, fieldState }) => (
              <DurationField
                value={field.value}
                onChange={field.onChange}
                error={fieldState.error?.message}
                max={policy.maxSessionMinutes}
                role={role}
              />
            )}
          />
          <Textarea
            label="Reason"
            description="Why these tokens are needed. Kept in the audit log with every row."
            autosize
            minRows={1}
            maxRows={3}
            maxLength={REASON_LIMITS.max}
            {...register('reason')}
            error={formState.errors.reason?.message}
          />
          <Divider />
          <Controller
            control={control}
            name="sourceKind"
            render={({ field }) => (
              <Stack gap={4}>
                <Text id="source-label" size="sm" fw={500}>
                  userIds
                </Text>
                <SegmentedControl
                  aria-labelledby="source-label"
                  value={field.value}
                  onChange={(v) => field.onChange(v as BulkFormValues['sourceKind'])}
                  data={[
                    { value: 'template', label: 'From a template' },
                    { value: 'csv', label: 'From a CSV' },
                  ]}
                />
              </Stack>
            )}
          />
          {sourceKind === 'template' ? (
            <Group align="flex-start" grow>
              <TextInput
                label="userId template"
                description="{n} is the row number; {n:4} zero-pads it to 4 digits."
                spellCheck={false}
                autoComplete="off"
                {...register('template')}
                error={formState.errors.template?.message}
              />
              <Controller
                control={control}
                name="start"
                render={({ field, fieldState }) => (
                  <NumberInput
                    label="Start"
                    description="The first {n}."
                    min={0}
                    allowDecimal={false}
                    value={field.value}
                    onChange={(v) => field.onChange(typeof v === 'number' ? v : Number.NaN)}
                    error={fieldState.error?.message}
                  />
                )}
              />
              <Controller
                control={control}
                name="count"
                render={({ field, fieldState }) => (
                  <NumberInput
                    label="Count"
                    description={`1 to ${BULK_MAX_ROWS.toLocaleString('en-US')} tokens.`}
                    min={1}
                    max={BULK_MAX_ROWS}
                    allowDecimal={false}
                    clampBehavior="none"
                    value={field.value}
                    onChange={(v) => field.onChange(typeof v === 'number' ? v : Number.NaN)}
                    error={fieldState.error?.message}
                  />
                )}
              />
            </Group>
          ) : (
            <Stack gap="xs">
              <Textarea
                label="CSV"
                description={
                  <span aria-live="polite">
                    A header line with userId and, optionally, attribute columns (an empty cell leaves that attribute out). Quote fields
                    that hold commas, quotes or line breaks.{csvRowCount !== null ? ` ${csvRowCount.toLocaleString('en-US')} rows.` : ''}
                  </span>
                }
                placeholder={'userId,displayName\nqa-1,Tester One\nqa-2,"Tester, Two"'}
                autosize
                minRows={4}
                maxRows={12}
                spellCheck={false}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
                {...register('csv')}
                error={formState.errors.csv?.message}
              />
              <Group>
                <FileButton
                  accept=".csv,text/csv,text/plain"
                  onChange={(file) => void file?.text().then((text) => setValue('csv', text, { shouldDirty: true }))}
                >
                  {(props) => (
                    <Button variant="default" size="xs" {...props}>
                      Upload a CSV file
                    </Button>
                  )}
                </FileButton>
              </Group>
            </Stack>
          )}
          {problem && (
            <Alert color="red" title="Nothing was minted" role="alert" data-testid="bulk-error" data-code={problem.code}>
              <Text size="sm">{problem.message}</Text>
              {problem.rowErrors && problem.rowErrors.length > 0 && (
                <List size="sm" mt="xs" spacing={2} data-testid="bulk-row-errors">
                  {problem.rowErrors.map((e, i) => (
                    <List.Item key={i}>{describeRowError(e)}</List.Item>
                  ))}
                </List>
              )}
              {problem.invalidRows !== undefined && problem.rowErrors && problem.invalidRows > problem.rowErrors.length && (
                <Text size="xs" mt="xs">
                  The first {problem.rowErrors.length} problems are listed.
                </Text>
              )}
            </Alert>
          )}
          <Group>
            <Button type="submit" size="md" loading={pending}>
              Start bulk mint
            </Button>
          </Group>
        </Stack>
      </form>
      {recentJobs.length > 0 && (
        <Stack gap="xs">
          <Title order={2} size="h4">
            Your recent bulk jobs
          </Title>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Issued</Table.Th>
                <Table.Th>Failed</Table.Th>
                <Table.Th>Rows</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {recentJobs.map((job) => (
                <Table.Tr key={job.id}>
                  <Table.Td>
                    <Anchor component={Link} href={`/bulk/${job.id}`}>
                      {job.createdAt.replace('T', ' ').slice(0, 19)} UTC
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{job.status}</Badge>
                  </Table.Td>
                  <Table.Td>{job.issued}</Table.Td>
                  <Table.Td>{job.failed}</Table.Td>
                  <Table.Td>{job.total}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}
