'use client';

import { useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { useForm, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import {
  ACTION_FILTER_VALUES,
  actionFilterLabel,
  activityFilterSchema,
  activityQueryString,
  EMPTY_ACTIVITY_FILTER,
  SOURCE_LABELS,
  SOURCES,
} from '@/lib/shared/audit/activity';
import { auditFilterSchema, auditQueryString, EMPTY_AUDIT_FILTER, MINT_SOURCES, MINT_STATUSES } from '@/lib/shared/audit/filter';
import { CAPABILITIES } from '@/lib/shared/tokens/limits';

type Values = Record<string, string>;
type Field = 'action' | 'userId' | 'room' | 'actor' | 'q' | 'status' | 'capability' | 'source' | 'batch' | 'from' | 'to';

/** What each list filters by, in one order for both, so the two forms read alike. */
const LISTS = {
  history: {
    path: '/audit',
    label: 'Filter the history',
    fields: ['userId', 'room', 'actor', 'q', 'status', 'capability', 'source', 'batch', 'from', 'to'],
    resolver: zodResolver(auditFilterSchema) as unknown as Resolver<Values>,
    queryString: (v: Values) => auditQueryString(v),
    empty: EMPTY_AUDIT_FILTER as Values,
    sources: MINT_SOURCES as readonly (typeof SOURCES)[number][],
  },
  activity: {
    path: '/activity',
    label: 'Filter the activity',
    fields: ['action', 'userId', 'room', 'actor', 'source', 'batch', 'from', 'to'],
    resolver: zodResolver(activityFilterSchema) as unknown as Resolver<Values>,
    queryString: (v: Values) => activityQueryString(v),
    empty: EMPTY_ACTIVITY_FILTER as Values,
    sources: SOURCES,
  },
} as const satisfies Record<string, { fields: readonly Field[] } & Record<string, unknown>>;

export type FilterList = keyof typeof LISTS;

/** Exact filters say how exact: the database compares userIds, ARNs, ids and batch ids byte for byte. */
const TEXT_FIELDS: Partial<Record<Field, { label: string; description: string; placeholder?: string }>> = {
  userId: { label: 'userId', description: 'Exact and case-sensitive, spaces included' },
  room: { label: 'Room ARN', description: 'Exact and case-sensitive', placeholder: 'arn:aws:ivschat:…:room/…' },
  actor: { label: 'Actor', description: 'Staff email (any case) or staff id (exact)' },
  q: { label: 'Search', description: 'Part of userId, room, actor or reason, any case' },
  batch: { label: 'Batch', description: 'Bulk job id, exact' },
  from: { label: 'From (UTC)', description: 'Date, or date and time', placeholder: '2026-03-01 or 2026-03-01 14:30' },
  to: { label: 'To (UTC)', description: 'Inclusive: a date alone means to its end', placeholder: '2026-03-31' },
};

/**
 * The filters of History and of Activity: one form, its fields chosen by `list`. They live in the
 * URL: applying navigates to `<path>?<filters>` (page 1), so a view can be shared and the export
 * links carry the same query; without JavaScript the form still works as a plain GET.
 */
export function FilterForm({ list, initial, serverErrors }: { list: FilterList; initial: Values; serverErrors?: Record<string, string> }) {
  const spec = LISTS[list];
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, formState, reset } = useForm<Values>({
    resolver: spec.resolver,
    defaultValues: initial,
    mode: 'onSubmit',
  });
  const errorOf = (k: Field) => formState.errors[k]?.message ?? serverErrors?.[k];
  const go = (qs: string) => startTransition(() => router.push(qs ? `${spec.path}?${qs}` : spec.path));

  const onSubmit = handleSubmit((values) => go(spec.queryString(values)));

  const field = (k: Field) => {
    const text = TEXT_FIELDS[k];
    if (text) {
      return (
        <TextInput
          key={k}
          label={text.label}
          description={text.description}
          placeholder={text.placeholder}
          spellCheck={false}
          autoComplete="off"
          {...register(k)}
          error={errorOf(k)}
        />
      );
    }
    const select = (label: string, data: { value: string; label: string }[]) => (
      <NativeSelect key={k} label={label} data={data} {...register(k)} error={errorOf(k)} />
    );
    switch (k) {
      case 'action':
        return select('Action', [
          { value: '', label: 'Every action' },
          ...ACTION_FILTER_VALUES.map((a) => ({ value: a, label: actionFilterLabel(a) })),
        ]);
      case 'status':
        return select('Status', [
          { value: '', label: 'Any status' },
          ...MINT_STATUSES.map((s) => ({ value: s, label: s === 'pending' ? 'pending (outcome unknown)' : s })),
        ]);
      case 'capability':
        return select('Capability', [{ value: '', label: 'Any capability' }, ...CAPABILITIES.map((c) => ({ value: c, label: c }))]);
      case 'source':
        return select('Source', [{ value: '', label: 'Any source' }, ...spec.sources.map((s) => ({ value: s, label: SOURCE_LABELS[s] }))]);
      default:
        return null;
    }
  };

  return (
    <form onSubmit={onSubmit} method="get" action={spec.path} noValidate aria-label={spec.label} role="search">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
        {spec.fields.map(field)}
      </SimpleGrid>
      <Group mt="sm" gap="xs">
        <Button type="submit" loading={pending}>
          Apply filters
        </Button>
        <Button
          variant="default"
          onClick={() => {
            reset(spec.empty);
            go('');
          }}
        >
          Clear
        </Button>
      </Group>
    </form>
  );
}
