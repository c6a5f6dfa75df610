'use client';

import type { MouseEvent, ReactNode } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ScrollArea, Table } from '@mantine/core';
import { DenseText, denseClasses } from '@/components/ui/dense';
import { useNow } from '@/components/token/use-now';
import { formatAgo } from '@/lib/shared/audit/paging';
import { Time } from '@/components/ui/time';
import classes from './record-table.module.css';

export interface RecordColumn<R> {
  key: string;
  /** The column header, and the field's label on a card. */
  header: string;
  cell: (row: R, now: Date | null) => ReactNode;
  /** On the cell's content (not the cell, which also holds the card label). */
  testId?: string;
  /** Holds the row's link (the keyboard's way in); its content is the link text. */
  link?: boolean;
  nowrap?: boolean;
}

/** Clicks on these are theirs, not the row's. */
const INTERACTIVE = 'a, button, input, select, textarea, label, [role="button"], [role="switch"], [role="checkbox"]';

/**
 * The list History and Activity share: a table where there is room and cards on a phone (the CSS
 * module switches on the list's own width), one link per row for the keyboard, and the whole row
 * opening its record for a pointer (ctrl/cmd or a middle click open it in a new tab, as a link
 * would). User-controlled text is rendered as React text only; hrefs carry only record ids.
 */
export function RecordTable<R extends { id: string }>({
  rows,
  columns,
  label,
  testId,
  rowTestId,
  rowAttributes,
}: {
  rows: R[];
  columns: RecordColumn<R>[];
  label: string;
  testId: string;
  rowTestId: string;
  rowAttributes?: (row: R) => Record<`data-${string}`, string>;
}) {
  const router = useRouter();
  const now = useNow(15_000);
  const hrefOf = (r: R) => `/audit/${encodeURIComponent(r.id)}`;

  const open = (e: MouseEvent<HTMLTableRowElement>, href: string) => {
    if (e.defaultPrevented || (e.target as HTMLElement).closest(INTERACTIVE)) return;
    // Selecting text to copy it is not a click on the row.
    if (window.getSelection()?.toString()) return;
    if (e.button === 1 || e.metaKey || e.ctrlKey || e.shiftKey) window.open(href, '_blank', 'noopener');
    else if (e.button === 0) router.push(href);
  };

  return (
    <div className={classes.wrap}>
      <ScrollArea type="auto" scrollbars="x">
        <Table striped highlightOnHover className={classes.table} aria-label={label} data-testid={testId} role="table" verticalSpacing={6}>
          <Table.Thead role="rowgroup">
            <Table.Tr role="row">
              {columns.map((c) => (
                <Table.Th key={c.key} role="columnheader" className={c.nowrap ? classes.nowrap : undefined}>
                  {c.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          {/* Explicit table roles: the card layout sets display: block, which drops the implicit ones. */}
          {/* eslint-disable-next-line jsx-a11y/no-redundant-roles */}
          <tbody role="rowgroup">
            {rows.map((r) => {
              const href = hrefOf(r);
              return (
                <tr
                  key={r.id}
                  role="row"
                  className={`${denseClasses.tr} ${classes.row}`}
                  data-testid={rowTestId}
                  data-record-id={r.id}
                  {...rowAttributes?.(r)}
                  onClick={(e) => open(e, href)}
                  onAuxClick={(e) => open(e, href)}
                >
                  {columns.map((c) => {
                    const content = c.cell(r, now);
                    const empty = content === null || content === undefined || content === false || content === '';
                    return (
                      <td
                        key={c.key}
                        // eslint-disable-next-line jsx-a11y/no-interactive-element-to-noninteractive-role -- kept through the card layout's display: block
                        role="cell"
                        className={`${denseClasses.td} ${classes.cell}${c.nowrap ? ` ${classes.nowrap}` : ''}`}
                        data-empty={empty && !c.link ? '' : undefined}
                      >
                        <span className={classes.label}>{c.header}</span>
                        {c.link ? (
                          <Link href={href} className={`mantine-focus-auto ${denseClasses.anchor}`} data-testid={c.testId}>
                            {content}
                          </Link>
                        ) : (
                          <div data-testid={c.testId}>{content}</div>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </Table>
      </ScrollArea>
    </div>
  );
}

/** The console's one time format (UTC, local beside), with "4 min ago" once the page is live (the server cannot know the reader's now). */
export function TimeCell({ at, now }: { at: string; now: Date | null }) {
  const date = new Date(at);
  return (
    <>
      <Time iso={at} layout="stack" />
      {now && (
        <DenseText size="xs" dimmed title={date.toISOString()}>
          {formatAgo(date, now)}
        </DenseText>
      )}
    </>
  );
}

/** A long value (userId, email) that wraps only where it has to. */
export function LongText({ children, mono = false }: { children: ReactNode; mono?: boolean }) {
  return (
    <DenseText className={classes.text} mono={mono}>
      {children}
    </DenseText>
  );
}
