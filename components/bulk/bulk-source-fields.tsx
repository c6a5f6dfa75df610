'use client';

import { useMemo } from 'react';
import { Controller, useFormState, useWatch, type Control, type UseFormSetValue } from 'react-hook-form';
import { Button, FileButton, Group, NumberInput, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { BULK_MAX_ROWS, sourceToRows, type BulkJobRequest } from '@/lib/shared/bulk/schema';
import type { BulkFormValues } from './bulk-form-values';

/** Where the userIds come from: a numbered template, or a pasted or uploaded CSV. */
export function BulkSourceFields({
  control,
  setValue,
}: {
  control: Control<BulkFormValues, unknown, BulkJobRequest>;
  setValue: UseFormSetValue<BulkFormValues>;
}) {
  const { register } = control;
  const { errors } = useFormState({ control, name: 'source' });
  const kind = useWatch({ control, name: 'source.kind' });
  const csv = useWatch({ control, name: 'source.csv' });
  const csvRowCount = useMemo(() => {
    if (kind !== 'csv' || !csv) return null;
    const rows = sourceToRows({ kind: 'csv', csv });
    return rows.ok ? rows.rows.length : null;
  }, [kind, csv]);

  return (
    <>
      <Controller
        control={control}
        name="source.kind"
        render={({ field }) => (
          <Stack gap={4}>
            <Text id="source-label" size="sm" fw={500}>
              userIds
            </Text>
            <SegmentedControl
              aria-labelledby="source-label"
              value={field.value}
              onChange={(v) => field.onChange(v as BulkFormValues['source']['kind'])}
              data={[
                { value: 'template', label: 'From a template' },
                { value: 'csv', label: 'From a CSV' },
              ]}
            />
          </Stack>
        )}
      />
      {kind === 'template' ? (
        <Group align="flex-start" grow>
          <TextInput
            label="userId template"
            description="{n} is the row number; {n:4} zero-pads it to 4 digits."
            spellCheck={false}
            autoComplete="off"
            {...register('source.template')}
            error={errors.source?.template?.message}
          />
          <Controller
            control={control}
            name="source.start"
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
            name="source.count"
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
                A header line with userId and, optionally, attribute columns (an empty cell leaves that attribute out). Quote fields that
                hold commas, quotes or line breaks.{csvRowCount !== null ? ` ${csvRowCount.toLocaleString('en-US')} rows.` : ''}
              </span>
            }
            placeholder={'userId,displayName\nqa-1,Tester One\nqa-2,"Tester, Two"'}
            autosize
            minRows={4}
            maxRows={12}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
            {...register('source.csv')}
            error={errors.source?.csv?.message}
          />
          <Group>
            <FileButton
              accept=".csv,text/csv,text/plain"
              onChange={(file) => void file?.text().then((text) => setValue('source.csv', text, { shouldDirty: true }))}
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
    </>
  );
}
