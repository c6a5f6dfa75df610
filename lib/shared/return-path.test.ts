import { describe, expect, it } from 'vitest';
import { safeReturnPath } from './return-path';

describe('safeReturnPath', () => {
  it.each([
    ['/audit?status=issued', '/audit?status=issued'],
    ['/audit/abc#top', '/audit/abc#top'],
    ['/bulk/%09x', '/bulk/%09x'],
    ['/%09/evil.example', '/%09/evil.example'],
    ['/caf\u00e9', '/caf%C3%A9'],
    ['/\u65e5\u672c', '/%E6%97%A5%E6%9C%AC'],
    ['/a b', '/a%20b'],
  ])('keeps the same-origin path %j as %j', (input, expected) => {
    expect(safeReturnPath(input)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    '/.//evil.example',
    '/./\t/evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    ' //evil.example',
    '/signin?callbackUrl=//evil.example',
    '/api/auth/signout',
    '',
    'mint',
    42,
    null,
  ])('refuses %j', (input) => {
    expect(safeReturnPath(input)).toBe('/');
  });

  it('never answers anything a Location header cannot carry', () => {
    for (const input of ['/x\r\nSet-Cookie: a=b', '/\u2028x', '/\u0000x', '/x\u00ff\u0100', '/%0d%0a']) {
      const out = safeReturnPath(input);
      expect(out).toMatch(/^\/[\x21-\x7e]*$/);
    }
  });
});
