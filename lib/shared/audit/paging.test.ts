import { describe, expect, it } from 'vitest';
import { formatAgo, LIST_MAX_PAGE, listSummary, parsePaging, rangeText, visiblePages } from './paging';

describe('list paging shared by History and Activity', () => {
  it('says the range with an en dash and honestly when the count stopped at the cap', () => {
    expect(rangeText(1, 50, 1011, false)).toBe('1–50 of 1,011');
    expect(rangeText(10_001, 50, 10_000, true)).toBe('10,001–10,050 of more than 10,000');
    expect(rangeText(1, 0, 0, false)).toBe('0 of 0');
  });

  it('puts the noun and the filters in one sentence', () => {
    const words = { one: 'mint', many: 'mints', filtered: false, older: false, emptyUnfiltered: 'No tokens have been minted yet.' };
    expect(listSummary({ firstRow: 1, shown: 50, total: 1011, capped: false }, words)).toBe('1–50 of 1,011 mints');
    expect(listSummary({ firstRow: 1, shown: 1, total: 1, capped: false }, { ...words, filtered: true })).toBe(
      '1–1 of 1 mint matching the filters',
    );
    expect(listSummary({ firstRow: 1, shown: 0, total: 0, capped: false }, { ...words, filtered: true })).toBe(
      'No mints match these filters.',
    );
    expect(listSummary({ firstRow: 1, shown: 0, total: 0, capped: false }, words)).toBe('No tokens have been minted yet.');
    expect(listSummary({ firstRow: 1, shown: 50, total: 10_000, capped: true }, { ...words, older: true })).toBe(
      'Older: 1–50 of more than 10,000 mints',
    );
  });

  it('reads page and cursor from the URL, ignoring what is not one', () => {
    expect(parsePaging(new URLSearchParams('page=3&before=900'))).toEqual({ page: 3, before: 900 });
    expect(parsePaging({ page: ['2', '5'] })).toEqual({ page: 2, before: undefined });
    expect(parsePaging(new URLSearchParams('page=0&before=-1'))).toEqual({ page: 1, before: undefined });
    expect(parsePaging(new URLSearchParams('page=abc'))).toEqual({ page: 1, before: undefined });
    expect(parsePaging(new URLSearchParams('page=999999')).page).toBe(LIST_MAX_PAGE);
  });

  it('shows the first, the last and two pages either side', () => {
    expect(visiblePages(1, 1)).toEqual([1]);
    expect(visiblePages(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(visiblePages(2, 4)).toEqual([1, 2, 3, 4]);
  });

  it('says how long ago, coarsely', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const ago = (s: number) => formatAgo(new Date(now.getTime() - s * 1000), now);
    expect(ago(2)).toBe('just now');
    expect(ago(-20)).toBe('just now');
    expect(ago(42)).toBe('42 s ago');
    expect(ago(4 * 60 + 59)).toBe('4 min ago');
    expect(ago(3 * 3600 + 1)).toBe('3 h ago');
    expect(ago(2 * 86_400)).toBe('2 d ago');
  });
});
