import { describe, expect, it } from 'vitest';
import { attributesByteSize, attributesToRows, rowsToAttributes } from '@/lib/shared/tokens/attributes';
import { utf8ByteLength, codePointLength, textProblem } from '@/lib/shared/text';

describe('utf8ByteLength', () => {
  it.each([
    ['ascii', 'abc', 3],
    ['2-byte (é, ß)', 'éß', 4],
    ['3-byte (€, 中)', '€中', 6],
    ['4-byte emoji', '😀', 4],
    ['flag (two 4-byte code points)', '🇫🇷', 8],
    ['mixed', 'a€😀', 1 + 3 + 4],
    ['empty', '', 0],
  ])('%s', (_name, text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });
});

describe('attributesByteSize', () => {
  it('counts every key and value', () => {
    expect(
      attributesByteSize([
        { key: 'name', value: 'Ann' },
        { key: 'é', value: '😀' },
      ]),
    ).toBe(4 + 3 + 2 + 4);
  });
  it('reaches exactly 1024 and 1025', () => {
    const at = [{ key: 'k', value: 'x'.repeat(1023) }];
    expect(attributesByteSize(at)).toBe(1024);
    expect(attributesByteSize([{ key: 'k', value: 'x'.repeat(1019) + '😀' }])).toBe(1024);
    expect(attributesByteSize([{ key: 'k', value: 'x'.repeat(1020) + '😀' }])).toBe(1025);
  });
  it('round-trips rows and objects', () => {
    const rows = [
      { key: 'a', value: '1' },
      { key: 'b', value: '' },
    ];
    expect(attributesToRows(rowsToAttributes(rows))).toEqual(rows);
  });
});

describe('text checks', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('😀'.repeat(3))).toBe(3);
  });
  it('refuses lone surrogates and control characters', () => {
    expect(textProblem('ok 😀')).toBeNull();
    expect(textProblem('bad \uD83D')).toMatch(/surrogate/);
    expect(textProblem('\uDE00 bad')).toMatch(/surrogate/);
    expect(textProblem('tab\there')).toMatch(/control/);
    expect(textProblem('nul\u0000')).toMatch(/control/);
  });
});
