import type { ReactNode } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { LIST_COUNT_CAP, type NumberedPage } from '@/lib/shared/audit/paging';
import { Pager } from './pager';

/**
 * What History and Activity put around their table: the range sentence ("1–50 of 1,011 …"), the
 * export links, the note when counting stopped at the cap, the table, the pager, a footnote.
 */
export function RecordList({
  summary,
  summaryTestId,
  exportHref,
  result,
  path,
  filters,
  before,
  footnote,
  children,
}: {
  summary: string;
  summaryTestId: string;
  exportHref: (format: 'csv' | 'json') => string;
  result: Pick<NumberedPage<unknown>, 'page' | 'pages' | 'capped' | 'nextBefore'>;
  path: string;
  filters: string;
  before?: number;
  footnote: ReactNode;
  children: ReactNode;
}) {
  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500} aria-live="polite" data-testid={summaryTestId}>
          {summary}
        </Text>
        <Group gap="xs">
          <Button component="a" href={exportHref('csv')} variant="default" size="xs" download>
            Export CSV
          </Button>
          <Button component="a" href={exportHref('json')} variant="default" size="xs" download>
            Export JSON
          </Button>
        </Group>
      </Group>
      {result.capped && (
        <Text size="xs" c="dimmed" data-testid="list-capped">
          Counting stops at {LIST_COUNT_CAP.toLocaleString('en-US')}, so the total is not shown exactly. Narrow the filters or the time
          range, or read on with “Older” after the last page.
        </Text>
      )}
      {children}
      {/* Only what the pager needs crosses to the browser, not the page's rows a second time. */}
      <Pager
        path={path}
        filters={filters}
        result={{ page: result.page, pages: result.pages, capped: result.capped, nextBefore: result.nextBefore }}
        before={before}
      />
      <Text size="xs" c="dimmed">
        {footnote}
      </Text>
    </Stack>
  );
}
