'use client';

import { Alert, Anchor, Code, List, Stack, Text } from '@mantine/core';
import { describeRowError } from '@/lib/shared/bulk/schema';
import { BULK_CSV_ID } from './bulk-source-fields';
import type { BulkProblem } from './start-bulk-job';

const LINE_BREAK = /\r\n|\n|\r/;
const SHOWN_CHARS = 120;

/** Selects a line of the CSV textarea and scrolls it into view, so the person finds what the error names. */
function showLine(line: number) {
  const area = document.getElementById(BULK_CSV_ID);
  if (!(area instanceof HTMLTextAreaElement)) return;
  const lines = area.value.split(/(\r\n|\n|\r)/);
  let start = 0;
  // split with a capture group alternates text and line ends.
  for (let i = 0; i < (line - 1) * 2 && i < lines.length; i++) start += lines[i]!.length;
  const end = start + (lines[(line - 1) * 2]?.length ?? 0);
  area.focus();
  area.setSelectionRange(start, end);
  const lineHeight = Number.parseFloat(getComputedStyle(area).lineHeight) || 18;
  area.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/**
 * Why nothing was minted: the message and, for row problems, each row's line and column, with the
 * line's own text (from the CSV as it is in the form) and a link that selects it in the textarea.
 */
export function BulkProblemAlert({
  problem,
  csv,
  onShowLine,
}: {
  problem: BulkProblem;
  csv?: string;
  onShowLine?: (line: number) => void;
}) {
  const lines = csv ? csv.split(LINE_BREAK) : null;
  return (
    <Alert color="red" title="Nothing was minted" role="alert" data-testid="bulk-error" data-code={problem.code}>
      <Text size="sm">{problem.message}</Text>
      {problem.rowErrors && problem.rowErrors.length > 0 && (
        <List size="sm" mt="xs" spacing={4} data-testid="bulk-row-errors">
          {problem.rowErrors.map((e, i) => {
            const text = lines && e.line !== null ? lines[e.line - 1] : undefined;
            return (
              <List.Item key={i}>
                <Stack gap={2}>
                  <span>{describeRowError(e)}</span>
                  {text !== undefined && e.line !== null && (
                    <Text size="xs" data-testid="bulk-error-line">
                      <Anchor
                        component="button"
                        type="button"
                        size="xs"
                        onClick={() => {
                          showLine(e.line!);
                          onShowLine?.(e.line!);
                        }}
                      >
                        Line {e.line}:
                      </Anchor>{' '}
                      <Code>{text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text || '(empty line)'}</Code>
                    </Text>
                  )}
                </Stack>
              </List.Item>
            );
          })}
        </List>
      )}
      {problem.invalidRows !== undefined && problem.rowErrors && problem.invalidRows > problem.rowErrors.length && (
        <Text size="xs" mt="xs">
          The first {problem.rowErrors.length} problems are listed.
        </Text>
      )}
    </Alert>
  );
}
