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
  type ActivityFilterValues,
} from '@/lib/shared/audit/activity';

const resolver = zodResolver(activityFilterSchema) as unknown as Resolver<ActivityFilterValues>;

/**
 * The Activity view's filters, kept in the URL like the history's: applying navigates to
 * /activity?<filters> (page 1), so a view can be shared and the export links carry the same query.
 */
export function ActivityFilterForm({ initial, serverErrors }: { initial: ActivityFilterValues; serverErrors?: Record<string, string> }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, formState, reset } = useForm<ActivityFilterValues>({
    resolver,
    defaultValues: initial,
    mode: 'onSubmit',
  });
  const errorOf = (k: keyof ActivityFilterValues) => formState.errors[k]?.message ?? serverErrors?.[k];

  const onSubmit = handleSubmit((values) => {
    const qs = activityQueryString(values);
    startTransition(() => router.push(qs ? `/activity?${qs}` : '/activity'));
  });

  return (
    <form onSubmit={onSubmit} method="get" action="/activity" noValidate aria-label="Filter the activity" role="search">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
        <NativeSelect
          label="Action"
          data={[{ value: '', label: 'Every action' }, ...ACTION_FILTER_VALUES.map((a) => ({ value: a, label: actionFilterLabel(a) }))]}
          {...register('action')}
          error={errorOf('action')}
        />
        <TextInput
          label="Actor"
          description="Staff email or id"
          spellCheck={false}
          autoComplete="off"
          {...register('actor')}
          error={errorOf('actor')}
        />
        <TextInput
          label="userId"
          description="Exact"
          spellCheck={false}
          autoComplete="off"
          {...register('userId')}
          error={errorOf('userId')}
        />
        <TextInput
          label="Room ARN"
          description="Exact"
          spellCheck={false}
          autoComplete="off"
          placeholder="arn:aws:ivschat:…:room/…"
          {...register('room')}
          error={errorOf('room')}
        />
        <NativeSelect
          label="Source"
          data={[{ value: '', label: 'Any source' }, ...SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] }))]}
          {...register('source')}
          error={errorOf('source')}
        />
        <TextInput
          label="Batch"
          description="Bulk job id"
          spellCheck={false}
          autoComplete="off"
          {...register('batch')}
          error={errorOf('batch')}
        />
        <TextInput
          label="From (UTC)"
          placeholder="2026-03-01 or 2026-03-01 14:30"
          autoComplete="off"
          {...register('from')}
          error={errorOf('from')}
        />
        <TextInput label="To (UTC)" placeholder="2026-03-31" autoComplete="off" {...register('to')} error={errorOf('to')} />
      </SimpleGrid>
      <Group mt="sm" gap="xs">
        <Button type="submit" loading={pending}>
          Apply filters
        </Button>
        <Button
          variant="default"
          onClick={() => {
            reset(EMPTY_ACTIVITY_FILTER);
            startTransition(() => router.push('/activity'));
          }}
        >
          Clear
        </Button>
      </Group>
    </form>
  );
}
