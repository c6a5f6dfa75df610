'use client';

import Link from 'next/link';
import { Anchor, Group, Text } from '@mantine/core';

/**
 * Numbered page links (1 … 4 5 [6] 7 8 … 20) as plain hrefs, so each page has a URL:
 * `${path}?${query}&page=N` (`query` holds the filters).
 */
export function PageLinks({ page, pages, path, query }: { page: number; pages: number; path: string; query: string }) {
  const shown = visiblePages(page, pages);
  const href = (p: number) => {
    const qs = [query, p > 1 ? `page=${p}` : ''].filter(Boolean).join('&');
    return qs ? `${path}?${qs}` : path;
  };
  return (
    <nav aria-label="Pages">
      <Group gap="xs" wrap="wrap">
        {page > 1 && (
          <Anchor component={Link} href={href(page - 1)} rel="prev">
            ← Previous
          </Anchor>
        )}
        {shown.map((p, i) =>
          p === null ? (
            <Text key={`gap-${i}`} span c="dimmed">
              …
            </Text>
          ) : p === page ? (
            <Text key={p} span fw={700} aria-current="page">
              {p}
            </Text>
          ) : (
            <Anchor key={p} component={Link} href={href(p)} aria-label={`Page ${p}`}>
              {p}
            </Anchor>
          ),
        )}
        {page < pages && (
          <Anchor component={Link} href={href(page + 1)} rel="next">
            Next →
          </Anchor>
        )}
      </Group>
    </nav>
  );
}

/** First, last, and two either side of the current page; null marks a gap. */
export function visiblePages(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}
