'use client';

import { useSyncExternalStore } from 'react';
import { DenseText } from '@/components/ui/dense';
import { formatLocal, formatRelative, formatUtc, isUtcZone, localZone } from '@/lib/shared/time/format';

const noSubscribe = () => () => {};
/** The reader's zone, known only in the browser: null on the server and in the hydrating render. */
export function useLocalZone(): string | null {
  return useSyncExternalStore(noSubscribe, localZone, () => null);
}

function utcParts(text: string) {
  const gap = text.indexOf(' ');
  if (gap < 0) return text;
  return (
    <>
      <span>{text.slice(0, gap)}</span> <span>{text.slice(gap + 1)}</span>
    </>
  );
}

/**
 * Every time the console shows, one way: exact UTC, then the reader's local time with its zone's
 * IANA name and long name (lib/shared/time/format.ts). `now` adds a relative time ("3 min ago").
 * `layout="stack"` puts the local time on its own line.
 */
export function Time({
  iso,
  now,
  layout = 'inline',
  size = 'sm',
  utcOnly = false,
}: {
  iso: string;
  now?: Date | null;
  layout?: 'inline' | 'stack';
  size?: 'xs' | 'sm';
  /** Only where a column header already says the zone is UTC and the row is a link. */
  utcOnly?: boolean;
}) {
  const zone = useLocalZone();
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <span>{iso}</span>;
  const local = zone && !isUtcZone(zone) && !utcOnly ? formatLocal(date, zone) : null;
  const relative = now ? formatRelative(date, now) : null;
  const extra = [local?.text, relative].filter(Boolean).join(' · ');
  return (
    <time dateTime={date.toISOString()} data-testid="time" title={date.toISOString()}>
      {/* A narrow column breaks a timestamp between its date and its time, never inside either. */}
      <DenseText span size={size} mono className="time-utc">
        {utcParts(formatUtc(date))}
      </DenseText>
      {extra &&
        (layout === 'stack' ? (
          <DenseText span block size="xs" dimmed data-testid="time-local">
            {extra}
          </DenseText>
        ) : (
          <DenseText span size="xs" dimmed data-testid="time-local">
            {' '}
            · {extra}
          </DenseText>
        ))}
    </time>
  );
}
