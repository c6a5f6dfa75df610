'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Divider, Group, Stack } from '@mantine/core';
import { GrantFields } from '@/components/mint/grant-fields';
import { RoomPicker } from '@/components/mint/room-picker';
import { setServerErrors } from '@/lib/contract/form';
import { bulkJobSchema, sourceToRows, validateBulkRows, type BulkJobRequest } from '@/lib/shared/bulk/schema';
import { checkMintRequest, type RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import { bulkFormDefaults, type BulkFormValues } from './bulk-form-values';
import { BulkProblemAlert } from './bulk-problem';
import { BulkSourceFields } from './bulk-source-fields';
import { startBulkJob, type BulkProblem } from './start-bulk-job';

// The shared bulk schema, the one POST /api/bulk/jobs parses with. The form holds both kinds of
// source at once, which the schema's input type cannot say; it keeps the chosen kind's fields.
const resolver = zodResolver(bulkJobSchema) as unknown as Resolver<BulkFormValues, unknown, BulkJobRequest>;

/** The bulk form: the same checks the server makes (fields, the role's policy, every row) before anything is sent. */
export function BulkForm({ rooms, policy, role }: { rooms: RoomSummary[]; policy: RolePolicy; role: Role }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [problem, setProblem] = useState<BulkProblem | null>(null);
  const [caretLine, setCaretLine] = useState<number | null>(null);
  const { control, handleSubmit, setError, setValue, clearErrors, getValues } = useForm<BulkFormValues, unknown, BulkJobRequest>({
    resolver,
    defaultValues: bulkFormDefaults(policy),
  });

  const onSubmit = handleSubmit((request) => {
    setProblem(null);
    clearErrors();
    const source = sourceToRows(request.source);
    if (!source.ok) {
      setProblem({ message: 'The CSV cannot be read; nothing was started.', rowErrors: source.errors, invalidRows: source.errors.length });
      return;
    }
    const refusals = checkMintRequest(role, policy, { ...request, userId: source.rows[0].userId, attributes: [] });
    if (refusals.length) {
      for (const r of refusals) if (r.field) setError(r.field, { type: 'policy', message: `${r.message} (${r.rule})` });
      setProblem({ message: refusals.map((r) => `${r.message} (${r.rule})`).join(' ') });
      return;
    }
    const { errors, invalidRows } = validateBulkRows(request, source.rows);
    if (invalidRows) {
      setProblem({
        message: `${invalidRows} of ${source.rows.length} rows are not valid; nothing was started. Fix them and start again.`,
        rowErrors: errors,
        invalidRows,
      });
      return;
    }
    startTransition(async () => {
      const result = await startBulkJob(request);
      if (result.ok) {
        router.push(`/bulk/${result.id}`);
        return;
      }
      // The form's field paths are the schema's (`source.csv`), so server paths need no mapping.
      if (result.failure) setServerErrors(setError, result.failure, { root: false });
      setProblem(result.problem);
    });
  });

  return (
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
        <GrantFields control={control} policy={policy} role={role} auditNote="with every row" reasonHint="Why these tokens are needed." />
        <Divider />
        <BulkSourceFields control={control} setValue={setValue} caretLine={caretLine} onCaretLine={setCaretLine} />
        {problem && (
          <BulkProblemAlert
            problem={problem}
            csv={getValues('source.kind') === 'csv' ? getValues('source.csv') : undefined}
            onShowLine={setCaretLine}
          />
        )}
        <Group>
          <Button type="submit" size="md" loading={pending}>
            Start bulk mint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
