'use client';

import { useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { useForm, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import {
  auditFilterSchema,
  auditQueryString,
  EMPTY_AUDIT_FILTER,
  MINT_SOURCES,
  MINT_STATUSES,
  type AuditFilterValues,
} from '@/lib/shared/audit/filter';
import { CAPABILITIES } from '@/lib/shared/tokens/limits';

const resolver = zodResolver(auditFilterSchema) as unknown as Resolver<AuditFilterValues>;

/**
 * The history's filters. They live in the URL: applying navigates to /audit?<filters>, so a
 * filtered view can be shared and the export links carry the same query. Without JavaScript the
 * form still works as a plain GET.
 */
export function AuditFilterForm({ initial, serverErrors }: { initial: AuditFilterValues; serverErrors?: Record<string, string> }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, formState, reset } = useForm<AuditFilterValues>({
    resolver,
    defaultValues: initial,
    mode: 'onSubmit',
  });
  const errors = formState.errors;
  const errorOf = (k: keyof AuditFilterValues) => errors[k]?.message ?? serverErrors?.[k];

  const onSubmit = handleSubmit((values) => {
    const qs = auditQueryString(values);
    startTransition(() => router.push(qs ? `/audit?${qs}` : '/audit'));
  });

  return (
    <form onSubmit={onSubmit} method="get" action="/audit" noValidate aria-label="Filter the history" role="search">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" verticalSpacing="xs">
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
        <TextInput
          label="Actor"
          description="Staff email or id"
          spellCheck={false}
          autoComplete="off"
          {...register('actor')}
          error={errorOf('actor')}
        />
        <TextInput
          label="Search"
          description="Part of userId, room, actor or reason"
          autoComplete="off"
          {...register('q')}
          error={errorOf('q')}
        />
        <NativeSelect
          label="Status"
          data={[
            { value: '', label: 'Any status' },
            ...MINT_STATUSES.map((s) => ({ value: s, label: s === 'pending' ? 'pending (outcome unknown)' : s })),
          ]}
          {...register('status')}
          error={errorOf('status')}
        />
        <NativeSelect
          label="Capability"
          data={[{ value: '', label: 'Any capability' }, ...CAPABILITIES.map((c) => ({ value: c, label: c }))]}
          {...register('capability')}
          error={errorOf('capability')}
        />
        <NativeSelect
          label="Source"
          data={[
            { value: '', label: 'Any source' },
            ...MINT_SOURCES.map((s) => ({ value: s, label: s === 'connect-here' ? 'connect-here (test connection)' : s })),
          ]}
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
            reset(EMPTY_AUDIT_FILTER);
            startTransition(() => router.push('/audit'));
          }}
        >
          Clear
        </Button>
      </Group>
    </form>
  );
}
