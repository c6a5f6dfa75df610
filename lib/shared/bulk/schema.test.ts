import { describe, expect, it } from 'vitest';
import {
  BULK_MAX_ROWS,
  bulkJobSchema,
  csvToRows,
  describeRowError,
  expandTemplate,
  parseCsv,
  sourceToRows,
  validateBulkRows,
} from '@/lib/shared/bulk/schema';

const ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001';
const shared = { roomArn: ROOM, capabilities: ['SEND_MESSAGE' as const], sessionDurationInMinutes: 30, reason: '' };

describe('expandTemplate', () => {
  it('numbers from start, count times', () => {
    expect(expandTemplate('qa-{n}', 1, 3)).toEqual(['qa-1', 'qa-2', 'qa-3']);
    expect(expandTemplate('load-{n}-x', 98, 3)).toEqual(['load-98-x', 'load-99-x', 'load-100-x']);
  });
  it('zero-pads with {n:width} and replaces every placeholder', () => {
    expect(expandTemplate('u{n:4}', 7, 2)).toEqual(['u0007', 'u0008']);
    expect(expandTemplate('{n}/{n:3}', 5, 1)).toEqual(['5/005']);
  });
  it('expands the largest batch quickly', () => {
    const ids = expandTemplate('qa-{n}', 1, BULK_MAX_ROWS);
    expect(ids).toHaveLength(BULK_MAX_ROWS);
    expect(new Set(ids).size).toBe(BULK_MAX_ROWS);
    expect(ids.at(-1)).toBe(`qa-${BULK_MAX_ROWS}`);
  });
  it('the schema wants a placeholder and a count within limits', () => {
    const base = { roomArn: ROOM, source: { kind: 'template', template: 'qa-{n}', start: 1, count: 10 } };
    expect(bulkJobSchema.safeParse(base).success).toBe(true);
    expect(bulkJobSchema.safeParse({ ...base, source: { ...base.source, template: 'qa' } }).success).toBe(false);
    expect(bulkJobSchema.safeParse({ ...base, source: { ...base.source, count: BULK_MAX_ROWS + 1 } }).success).toBe(false);
    expect(bulkJobSchema.safeParse({ ...base, source: { ...base.source, count: 0 } }).success).toBe(false);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks; CRLF, LF and CR; a BOM', () => {
    const parsed = parseCsv('\ufeffuserId,note\r\n"a,b","say ""hi"""\n"multi\nline",x\rlast,\n');
    expect(parsed).toEqual({
      ok: true,
      header: ['userId', 'note'],
      records: [
        { line: 2, cells: ['a,b', 'say "hi"'] },
        { line: 3, cells: ['multi\nline', 'x'] },
        { line: 5, cells: ['last', ''] },
      ],
    });
  });
  it('skips blank lines and keeps the line numbers true', () => {
    const parsed = parseCsv('userId\n\nann\n\n\nbob');
    expect(parsed.ok && parsed.records).toEqual([
      { line: 3, cells: ['ann'] },
      { line: 6, cells: ['bob'] },
    ]);
  });
  it('reports an unterminated quote and a stray quote at their line', () => {
    expect(parseCsv('userId\nann\n"bob')).toMatchObject({ ok: false, error: { line: 3 } });
    expect(parseCsv('userId\nan"n')).toMatchObject({
      ok: false,
      error: { line: 2, message: expect.stringMatching(/quote inside an unquoted field/) },
    });
    expect(parseCsv('userId\n"ann"x')).toMatchObject({
      ok: false,
      error: { line: 2, message: expect.stringMatching(/after a closing quote/) },
    });
  });
});

describe('parseCsv line numbers (csv-parse under it)', () => {
  it('counts a CRLF inside a quoted field as one line break, also in a file mixing line ends', () => {
    const parsed = parseCsv('userId,note\n"ann","two\r\nlines"\r\nbob,x\n\ncy,"a\rb"\rdee,y');
    expect(parsed).toEqual({
      ok: true,
      header: ['userId', 'note'],
      records: [
        { line: 2, cells: ['ann', 'two\r\nlines'] },
        { line: 4, cells: ['bob', 'x'] },
        { line: 6, cells: ['cy', 'a\rb'] },
        { line: 8, cells: ['dee', 'y'] },
      ],
    });
  });
  it('keeps line numbers true after multi-byte characters and a BOM', () => {
    const parsed = parseCsv('\ufeffuserId,name\nü-1,"Zoë\nÅsa"\n日本,東京\n');
    expect(parsed.ok && parsed.records.map((r) => [r.line, r.cells[0]])).toEqual([
      [2, 'ü-1'],
      [4, '日本'],
    ]);
  });
  it('reads an empty quoted field, a field of spaces and a line of commas as values', () => {
    expect(parseCsv('userId,a\n"",  \n,\n').ok && parseCsv('userId,a\n"",  \n,\n')).toMatchObject({
      records: [
        { line: 2, cells: ['', '  '] },
        { line: 3, cells: ['', ''] },
      ],
    });
  });
  it('reports an unclosed quote at the line where it opens, and a stray quote after a multi-line field at its own line', () => {
    expect(parseCsv('userId,note\nann,x\nbob,"never\nclosed\nat all')).toMatchObject({
      ok: false,
      error: { line: 3, message: 'Line 3: a quoted field is never closed.' },
    });
    expect(parseCsv('userId,note\nann,"two\r\nlines"\nb"ob,x')).toMatchObject({
      ok: false,
      error: { line: 4, message: expect.stringMatching(/^Line 4: a quote inside an unquoted field/) },
    });
  });
  it('reports only blank lines as an empty CSV', () => {
    expect(parseCsv('\n\r\n\n')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/The CSV is empty/) } });
  });
});

describe('csvToRows', () => {
  it('takes userId (any case) and every other column as an attribute, leaving empty cells out', () => {
    const result = csvToRows('displayName,USERID,color\nAnn,ann,red\n,bob,\n');
    expect(result).toEqual({
      ok: true,
      columns: ['displayName', 'color'],
      rows: [
        {
          row: 1,
          line: 2,
          userId: 'ann',
          attributes: [
            { key: 'displayName', value: 'Ann' },
            { key: 'color', value: 'red' },
          ],
        },
        { row: 2, line: 3, userId: 'bob', attributes: [] },
      ],
    });
  });
  it('needs exactly one userId column and distinct, named columns', () => {
    expect(csvToRows('name\nann')).toMatchObject({
      ok: false,
      errors: [{ line: 1, message: expect.stringMatching(/needs a userId column/) }],
    });
    expect(csvToRows('userId,userid\na,b')).toMatchObject({ ok: false });
    expect(csvToRows('userId,a,a\nx,1,2')).toMatchObject({ ok: false, errors: [{ field: 'a' }] });
    expect(csvToRows('userId,\nx,1')).toMatchObject({ ok: false, errors: [{ message: 'Header column 2 has no name.' }] });
    expect(csvToRows('userId\n')).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/no rows/) }] });
  });
  it('reports a row with the wrong number of fields at its line', () => {
    expect(csvToRows('userId,color\nann,red\nbob\n')).toMatchObject({
      ok: false,
      errors: [{ row: 2, line: 3, message: 'Line 3 has 1 fields; the header has 2.' }],
    });
  });
  it('parses 10,000 rows', () => {
    const csv = ['userId,displayName', ...Array.from({ length: 10_000 }, (_, i) => `user-${i},"User ${i}, QA"`)].join('\n');
    const result = csvToRows(csv);
    expect(result.ok && result.rows.length).toBe(10_000);
    expect(result.ok && result.rows[9_999]).toMatchObject({
      userId: 'user-9999',
      line: 10_001,
      attributes: [{ key: 'displayName', value: 'User 9999, QA' }],
    });
  });
  it('refuses more rows than a batch may have', () => {
    const csv = ['userId', ...Array.from({ length: BULK_MAX_ROWS + 1 }, (_, i) => `u${i}`)].join('\n');
    expect(sourceToRows({ kind: 'csv', csv })).toMatchObject({ ok: false });
  });
});

describe('validateBulkRows', () => {
  it('checks every row with the mint schema and names the row, line and column', () => {
    const rows = [
      { row: 1, line: 2, userId: 'fine', attributes: [] },
      { row: 2, line: 3, userId: '', attributes: [] },
      { row: 3, line: 5, userId: 'x'.repeat(129), attributes: [{ key: 'color', value: 'red\u0000' }] },
      { row: 4, line: 6, userId: 'big', attributes: [{ key: 'blob', value: 'y'.repeat(1100) }] },
    ];
    const { errors, invalidRows } = validateBulkRows(shared, rows);
    expect(invalidRows).toBe(3);
    expect(errors.map((e) => [e.row, e.line, e.field])).toEqual([
      [2, 3, 'userId'],
      [3, 5, 'userId'],
      [3, 5, 'color'],
      [4, 6, 'attributes'],
    ]);
    expect(describeRowError(errors[2])).toMatch(/^Line 5 \(row 3\), color: /);
  });
  it('accepts every template row', () => {
    const source = sourceToRows({ kind: 'template', template: 'qa-{n}', start: 1, count: 500 });
    expect(source.ok && validateBulkRows(shared, source.rows)).toEqual({ errors: [], invalidRows: 0 });
  });
});
