import { describe, expect, it } from 'vitest';
import {
  auditFilterSchema,
  auditQueryString,
  EMPTY_AUDIT_FILTER,
  parseAuditQuery,
  parseTimeBound,
  tokenLookupSchema,
  toMintHistoryFilter,
} from '@/lib/shared/audit/filter';

describe('parseTimeBound', () => {
  it('reads a date as the whole UTC day', () => {
    expect(parseTimeBound('2026-03-01', 'from')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseTimeBound('2026-03-01', 'to')?.toISOString()).toBe('2026-03-01T23:59:59.999Z');
  });
  it('reads a time without a zone as UTC, and honours an explicit zone', () => {
    expect(parseTimeBound('2026-03-01 14:30', 'from')?.toISOString()).toBe('2026-03-01T14:30:00.000Z');
    expect(parseTimeBound('2026-03-01T14:30:05+02:00', 'from')?.toISOString()).toBe('2026-03-01T12:30:05.000Z');
    expect(parseTimeBound('2026-03-01T14:30:05.123Z', 'to')?.toISOString()).toBe('2026-03-01T14:30:05.123Z');
  });
  it('refuses what is not a date', () => {
    for (const bad of ['yesterday', '2026-02-30', '2026-13-01', '01/03/2026', '2026-03-01T25:00', '']) {
      expect(parseTimeBound(bad, 'from'), bad).toBeNull();
    }
  });
});

describe('auditFilterSchema', () => {
  it('defaults every field to empty', () => {
    expect(auditFilterSchema.parse({})).toEqual(EMPTY_AUDIT_FILTER);
  });
  it('keeps userId exact (untrimmed) and trims the rest', () => {
    const v = auditFilterSchema.parse({ userId: ' a ', actor: ' bob@example.com ', q: '  x ' });
    expect(v.userId).toBe(' a ');
    expect(v.actor).toBe('bob@example.com');
    expect(v.q).toBe('x');
  });
  it('accepts only known statuses and capabilities', () => {
    expect(auditFilterSchema.safeParse({ status: 'pending' }).success).toBe(true);
    expect(auditFilterSchema.safeParse({ status: 'done' }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ capability: 'DELETE_MESSAGE' }).success).toBe(true);
    expect(auditFilterSchema.safeParse({ capability: 'ADMIN' }).success).toBe(false);
  });
  it('refuses bad dates, a reversed range and control characters, naming the field', () => {
    const bad = auditFilterSchema.safeParse({ from: 'soon' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['from']);
    const reversed = auditFilterSchema.safeParse({ from: '2026-03-02', to: '2026-03-01' });
    expect(reversed.error?.issues[0]).toMatchObject({ path: ['to'], message: '"To" is before "from".' });
    expect(auditFilterSchema.safeParse({ userId: 'a\u0000b' }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ q: 'x'.repeat(201) }).success).toBe(false);
  });
  it('keeps hostile text as data', () => {
    const v = auditFilterSchema.parse({ userId: '<img src=x onerror=alert(1)>', q: "%_' or 1=1 --" });
    expect(toMintHistoryFilter(v)).toEqual({ action: 'token.minted', userId: '<img src=x onerror=alert(1)>', q: "%_' or 1=1 --" });
  });
});

describe('toMintHistoryFilter', () => {
  it('maps form values to the store filter, always restricted to mints', () => {
    const f = toMintHistoryFilter({
      ...EMPTY_AUDIT_FILTER,
      room: 'arn:aws:ivschat:us-east-1:123456789012:room/abc',
      status: 'failed',
      capability: 'SEND_MESSAGE',
      from: '2026-03-01',
      to: '2026-03-01',
    });
    expect(f).toEqual({
      action: 'token.minted',
      roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/abc',
      status: 'failed',
      capability: 'SEND_MESSAGE',
      from: new Date('2026-03-01T00:00:00.000Z'),
      to: new Date('2026-03-01T23:59:59.999Z'),
    });
  });
});

describe('parseAuditQuery and auditQueryString', () => {
  it('round-trips the filters through a query string', () => {
    const values = { ...EMPTY_AUDIT_FILTER, userId: 'ann & bob=1', status: 'issued' as const, q: '日本' };
    const qs = auditQueryString(values, { before: 120 });
    const parsed = parseAuditQuery(new URLSearchParams(qs));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.values).toEqual(values);
      expect(parsed.before).toBe(120);
    }
  });
  it('ignores unknown keys, takes the first of repeated keys, and drops a bad cursor', () => {
    const parsed = parseAuditQuery({ userId: ['a', 'b'], before: '-3', junk: 'x' });
    expect(parsed).toMatchObject({ ok: true, values: { userId: 'a' }, before: undefined });
  });
  it('reports invalid fields with the raw values kept for the form', () => {
    const parsed = parseAuditQuery({ status: 'nope', userId: 'u' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(Object.keys(parsed.fieldErrors)).toEqual(['status']);
      expect(parsed.values.userId).toBe('u');
    }
  });
  it('writes only non-empty values', () => {
    expect(auditQueryString(EMPTY_AUDIT_FILTER)).toBe('');
    expect(auditQueryString({ ...EMPTY_AUDIT_FILTER, actor: 'a@b.c' }, { format: 'csv' })).toBe('actor=a%40b.c&format=csv');
  });
});

describe('tokenLookupSchema', () => {
  const token = `AQICAH${'aB3-_x'.repeat(50)}`;
  it('removes whitespace and line breaks from a wrapped paste', () => {
    expect(tokenLookupSchema.parse({ token: `  ${token.slice(0, 50)}\n  ${token.slice(50)}\r\n ` }).token).toBe(token);
  });
  it('refuses an empty or absurdly long paste, and a non-token, at the field', () => {
    expect(tokenLookupSchema.safeParse({ token: ' \n ' }).success).toBe(false);
    expect(tokenLookupSchema.safeParse({ token: 'x'.repeat(16_385) }).success).toBe(false);
    expect(tokenLookupSchema.safeParse({}).success).toBe(false);
    const hello = tokenLookupSchema.safeParse({ token: 'hello world' });
    expect(hello.success).toBe(false);
    expect(hello.error?.issues[0]).toMatchObject({ path: ['token'], message: expect.stringMatching(/^This is not a token/) });
  });
});
