/**
 * Paging shared by History and Activity (client-safe): one page size, one counting cap, one way to
 * read `page` and `before` from the URL, one range sentence. Pages are numbered up to the cap;
 * beyond it a count would scan every matching entry, so the screen says "more than 10,000" and
 * reads on by seq cursor (`before`), which costs the same at any depth.
 */
export const LIST_PAGE_SIZE = 50;
export const LIST_COUNT_CAP = 10_000;
export const LIST_MAX_PAGE = LIST_COUNT_CAP / LIST_PAGE_SIZE;

/** One numbered page of a filtered list, newest first. */
export interface NumberedPage<T> {
  rows: T[];
  /** 1-based position of the first row among the matches (under `before`, when set). */
  firstRow: number;
  /** Matches counted up to LIST_COUNT_CAP; `capped` says the true number is larger. */
  total: number;
  capped: boolean;
  page: number;
  pages: number;
  /** Pass as `before` to read on below this page's last row (past the numbered pages). */
  nextBefore: number | null;
}

type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

function first(sp: SearchParamsLike, key: string): string | undefined {
  if (sp instanceof URLSearchParams) return sp.get(key) ?? undefined;
  const v = sp[key];
  return Array.isArray(v) ? v[0] : v;
}

/** `page` (1 when absent or not a page number, clamped to the last numbered page) and the `before` cursor. */
export function parsePaging(sp: SearchParamsLike, maxPage = LIST_MAX_PAGE): { page: number; before?: number } {
  const pageText = first(sp, 'page');
  const page = pageText && /^[1-9]\d{0,5}$/.test(pageText) ? Math.min(Number(pageText), maxPage) : 1;
  const beforeText = first(sp, 'before');
  const before = beforeText && /^[1-9]\d{0,15}$/.test(beforeText) ? Number(beforeText) : undefined;
  return { page, before };
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** "1–50 of 1,011", "10,001–10,050 of more than 10,000" (an en dash, as ranges are written). */
export function rangeText(firstRow: number, shown: number, total: number, capped: boolean): string {
  if (shown === 0) return capped ? `none here of more than ${fmt(total)}` : `0 of ${fmt(total)}`;
  const of = capped ? `more than ${fmt(total)}` : fmt(total);
  return `${fmt(firstRow)}–${fmt(firstRow + shown - 1)} of ${of}`;
}

/**
 * The sentence above a list: "1–50 of 1,011 mints matching the filters", "No mints match these
 * filters.", or what an empty list means when nothing is filtered.
 */
export function listSummary(
  p: Pick<NumberedPage<unknown>, 'firstRow' | 'total' | 'capped'> & { shown: number },
  o: { one: string; many: string; filtered: boolean; older: boolean; emptyUnfiltered: string },
): string {
  if (p.total === 0 && !p.capped) return o.filtered ? `No ${o.many} match these filters.` : o.emptyUnfiltered;
  const noun = !p.capped && p.total === 1 ? o.one : o.many;
  return `${o.older ? 'Older: ' : ''}${rangeText(p.firstRow, p.shown, p.total, p.capped)} ${noun}${o.filtered ? ' matching the filters' : ''}`;
}

/** The page links' numbers: first, last and two either side of the current page; null marks a gap. */
export function visiblePages(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/** A coarse "how long ago" for lists: `12 s ago`, `4 min ago`, `3 h ago`, `2 d ago`, `just now`. */
export function formatAgo(at: Date, now: Date): string {
  const s = Math.floor((now.getTime() - at.getTime()) / 1000);
  if (s < 0) return s > -60 ? 'just now' : 'in the future';
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}
