import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { csvCell, csvRow, guardFormulas } from './csv';

describe('csvCell', () => {
  it('leaves plain text and numbers alone', () => {
    expect(csvCell('user-1')).toBe('user-1');
    expect(csvCell('Ann 😀')).toBe('Ann 😀');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes commas, quotes, CR and LF per RFC 4180, doubling inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t'=1"],
    ['\r=1', `"'\r'=1"`],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])('neutralizes a formula start: %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([
    ['x;=1+1;', "x;'=1+1;"],
    ['a|=cmd|x', "a|'=cmd|x"],
    ['a\t+1', `a\t'+1`],
    ['note, =HYPERLINK("http://evil")', `"note, '=HYPERLINK(""http://evil"")"`],
    ['one\n@SUM(A1)', `"one\n'@SUM(A1)"`],
    ['a;"=1+1"', `"a;""'=1+1"""`],
    ['  =1+1', "  '=1+1"],
    ['a;;-1', "a;;'-1"],
  ])('neutralizes a formula that starts a cell in a locale splitting on , ; tab or |: %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('leaves no cell starting with a formula character, whatever separator a spreadsheet splits on', () => {
    const nasty = ['x;=1+1;', 'a|b|+c', 'p\t@q', 'm,-n', 'k;  =z', 'r\r\n=s', 'u;"=v"', '=w', '\r=1', 'plain; text | ok, fine'];
    const row = csvRow(nasty);
    for (const separator of [',', ';', '\t', '|', '\n', '\r']) {
      for (const cell of row.split(separator)) {
        expect(cell.replace(/^[ "]*/, ''), `split on ${JSON.stringify(separator)}: ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@]/);
      }
    }
    expect(guardFormulas('plain; text | ok, fine')).toBe('plain; text | ok, fine');
  });

  it('does not touch the characters when they are not first', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('user@example.com')).toBe('user@example.com');
    expect(csvCell('x-1')).toBe('x-1');
  });

  it('writes objects as JSON text, escaped like any other text', () => {
    expect(csvCell({ a: '1,2' })).toBe('"{""a"":""1,2""}"');
  });
});

describe('csvRow', () => {
  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRow(['a', 1, null, 'b,c', '=x'])).toBe(`a,1,,"b,c",'=x\r\n`);
  });

  it('round-trips through a strict RFC 4180 parser', () => {
    const cells = ['plain', 'with,comma', 'with "quotes"', 'multi\nline', '=1+1', '', 'ünïcödé'];
    expect(parseCsvLine(csvRow(cells))).toEqual(cells.map(guardFormulas));
  });
});

// An independent RFC 4180 reader, so the test does not check the writer against itself.
function parseCsvLine(line: string): string[] {
  return parse(line, { relax_column_count: true })[0] ?? [''];
}
