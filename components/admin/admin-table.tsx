'use client';

import { useState, useTransition, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { Alert, Badge, Table, TableScrollContainer, Text } from '@mantine/core';
import { useConfirm, type ConfirmRequest } from '@/components/ui/confirm-dialog';

/** What the last admin act did, in the words of that act; or why nothing was changed. */
export type AdminOutcome = { ok: true; text: string } | { ok: false; text: string } | null;

type ActionResult<T> = { ok: true; data: T } | { ok: false; message: string; fieldErrors?: Record<string, string> };

/**
 * The admin screens' one way to act on a member, a key or an account: confirm first when the act
 * takes something away, run the server action, say what happened (the action's own answer, not
 * an assumption), and re-read the page's data from the server.
 */
export function useAdminActions() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<AdminOutcome>(null);
  const { dialog, ask } = useConfirm();

  const run = async <T,>(
    work: () => Promise<ActionResult<T>>,
    options: { confirm?: ConfirmRequest; success: (data: T) => string; onSuccess?: (data: T) => void },
  ): Promise<ActionResult<T> | null> => {
    // null: the person cancelled, nothing was sent.
    if (options.confirm && !(await ask(options.confirm))) return null;
    return new Promise<ActionResult<T> | null>((resolve) =>
      startTransition(async () => {
        setOutcome(null);
        try {
          const result = await work();
          if (result.ok) {
            options.onSuccess?.(result.data);
            setOutcome({ ok: true, text: options.success(result.data) });
          } else setOutcome({ ok: false, text: result.message });
          resolve(result);
        } catch {
          setOutcome({ ok: false, text: 'The console did not answer, so whether it was done is unknown: reload the page to see.' });
          resolve(null);
        }
        router.refresh();
      }),
    );
  };

  return { pending, outcome, setOutcome, run, dialog };
}

export function AdminOutcomeAlert({ outcome, testId }: { outcome: AdminOutcome; testId: string }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <Alert color="teal" role="status" title="Done" data-testid={testId}>
      {outcome.text}
    </Alert>
  ) : (
    <Alert color="red" role="alert" title="Not changed" data-testid={testId}>
      {outcome.text}
    </Alert>
  );
}

/** An admin list: one header row, one row per item, a line saying so when there are none. */
export function AdminTable({
  label,
  testId,
  minWidth,
  columns,
  empty,
  children,
}: {
  label: string;
  testId: string;
  minWidth: number;
  columns: readonly string[];
  /** Shown in place of the rows when there are none. */
  empty?: string;
  children: ReactNode[];
}) {
  return (
    <TableScrollContainer minWidth={minWidth}>
      <Table striped withTableBorder aria-label={label} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c}>{c}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {children.length === 0 && empty ? (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                <Text size="sm" c="dimmed">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            children
          )}
        </Table.Tbody>
      </Table>
    </TableScrollContainer>
  );
}

/** A member's, key's or account's state: teal when it can act, otherwise the colour of why not. */
export function StateBadge({ label, color, title }: { label: string; color: string; title?: string }) {
  return (
    <Badge color={color} variant="light" title={title}>
      {label}
    </Badge>
  );
}
