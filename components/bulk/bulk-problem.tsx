'use client';

import { Alert, List, Text } from '@mantine/core';
import { describeRowError } from '@/lib/shared/bulk/schema';
import type { BulkProblem } from './start-bulk-job';

/** Why nothing was minted: the message and, for row problems, each row's line and column. */
export function BulkProblemAlert({ problem }: { problem: BulkProblem }) {
  return (
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
  );
}
