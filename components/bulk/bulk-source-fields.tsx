'use client';

import { useMemo } from 'react';
import { Controller, useFormState, useWatch, type Control, type UseFormSetValue } from 'react-hook-form';
import { Button, Code, FileButton, Group, NumberInput, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { BULK_MAX_ROWS, expandTemplate, sourceToRows, type BulkJobRequest } from '@/lib/shared/bulk/schema';

/** The textarea's id, so a problem can take the person to its line (bulk-problem.tsx). */
export const BULK_CSV_ID = 'bulk-csv';

const PREVIEW_ROWS = 3;

/** 1-based line of a character offset, counting CRLF, LF and CR as one line end each (as parseCsv does). */
export function lineAt(text: string, offset: number): number {
  return (text.slice(0, offset).match(/\r\n|\n|\r/g)?.length ?? 0) + 1;
}
import type { BulkFormValues } from './bulk-form-values';

/** Where the userIds come from: a numbered template, or a pasted or uploaded CSV. */
export function BulkSourceFields({
  control,
  setValue,
  caretLine,
  onCaretLine,
}: {
  control: Control<BulkFormValues, unknown, BulkJobRequest>;
  setValue: UseFormSetValue<BulkFormValues>;
  /** The CSV line the cursor is on (held by the form, so a problem's "Line N" link can move it). */
  caretLine: number | null;
  onCaretLine: (line: number) => void;
}) {
  const { register } = control;
  const { errors } = useFormState({ control, name: 'source' });
  const kind = useWatch({ control, name: 'source.kind' });
  const csv = useWatch({ control, name: 'source.csv' });
  const template = useWatch({ control, name: 'source.template' });
  const start = useWatch({ control, name: 'source.start' });
  const count = useWatch({ control, name: 'source.count' });
  // The first rows the template will produce, and the last, exactly as they will be minted.
  const preview = useMemo(() => {
    if (kind !== 'template' || !template || !/\{n(?::\d{1,2})?\}/.test(template)) return null;
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 1 || count > BULK_MAX_ROWS) return null;
    const first = expandTemplate(template, start, Math.min(PREVIEW_ROWS, count));
    const last = count > PREVIEW_ROWS ? expandTemplate(template, start + count - 1, 1)[0] : null;
    return { first, last, count };
  }, [kind, template, start, count]);
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
      ) : null}
      {kind === 'template' && preview && (
        <Text size="sm" data-testid="bulk-template-preview" aria-live="polite">
          First rows:{' '}
          {preview.first.map((u, i) => (
            <span key={i}>
              {i > 0 && ', '}
              <Code>{u}</Code>
            </span>
          ))}
          {preview.last !== null && (
            <>
              {' '}
              … last: <Code>{preview.last}</Code>
            </>
          )}{' '}
          ({preview.count.toLocaleString('en-US')} {preview.count === 1 ? 'userId' : 'userIds'})
        </Text>
      )}
      {kind === 'template' ? null : (
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
            id={BULK_CSV_ID}
            {...register('source.csv')}
            onSelect={(e) => onCaretLine(lineAt(e.currentTarget.value, e.currentTarget.selectionStart))}
            error={errors.source?.csv?.message}
          />
          <Text size="xs" c="dimmed" data-testid="bulk-csv-caret" aria-live="off">
            {caretLine !== null
              ? `Cursor on line ${caretLine} (line 1 is the header).`
              : 'Line 1 is the header; errors name lines from there.'}
          </Text>
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
