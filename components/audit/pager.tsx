'use client';

import Link from 'next/link';
import { Anchor, Group, Text } from '@mantine/core';
import { visiblePages, type NumberedPage } from '@/lib/shared/audit/paging';

/**
 * The pager History and Activity share: numbered pages as plain links (1 … 4 5 [6] 7 8 … 20), so
 * each page has a URL, then, past the counted pages, "Older" by seq cursor and "Newest" back.
 * `filters` is the list's query string without paging.
 */
export function Pager({
  path,
  filters,
  result,
  before,
}: {
  path: string;
  filters: string;
  result: Pick<NumberedPage<unknown>, 'page' | 'pages' | 'capped' | 'nextBefore'>;
  before?: number;
}) {
  const url = (extra: Record<string, string | number | undefined>) => {
    const sp = new URLSearchParams(filters);
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) sp.set(k, String(v));
    const qs = sp.toString();
    return qs ? `${path}?${qs}` : path;
  };
  const pageHref = (p: number) => url({ before, page: p > 1 ? p : undefined });
  const { page, pages } = result;
  const older = result.capped && page === pages && result.nextBefore !== null;
  if (pages <= 1 && before === undefined && !older) return null;
  return (
    <Group justify="space-between" gap="sm">
      <nav aria-label="Pages">
        <Group gap="xs" wrap="wrap">
          {page > 1 && (
            <Anchor component={Link} href={pageHref(page - 1)} rel="prev">
              ← Previous
            </Anchor>
          )}
          {visiblePages(page, pages).map((p, i) =>
            p === null ? (
              <Text key={`gap-${i}`} span c="dimmed" aria-hidden="true">
                …
              </Text>
            ) : p === page ? (
              <Text key={p} span fw={700} aria-current="page">
                {p}
              </Text>
            ) : (
              <Anchor key={p} component={Link} href={pageHref(p)} aria-label={`Page ${p}`}>
                {p}
              </Anchor>
            ),
          )}
          {page < pages && (
            <Anchor component={Link} href={pageHref(page + 1)} rel="next">
              Next →
            </Anchor>
          )}
        </Group>
      </nav>
      <Group gap="md">
        {before !== undefined && (
          <Anchor component={Link} href={url({})}>
            ← Newest
          </Anchor>
        )}
        {older && (
          <Anchor component={Link} href={url({ before: result.nextBefore! })}>
            Older →
          </Anchor>
        )}
      </Group>
    </Group>
  );
}
