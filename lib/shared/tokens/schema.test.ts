import { describe, expect, it } from 'vitest';
import { fieldErrorsFrom, mintTokenSchema, userIdSchema } from '@/lib/shared/tokens/schema';

const ARN = 'arn:aws:ivschat:us-east-1:123456789012:room/AbCdEfGhIjKl';
const parse = (input: Record<string, unknown>) => mintTokenSchema.safeParse({ roomArn: ARN, userId: 'u1', ...input });
const errors = (input: Record<string, unknown>) => {
  const r = parse(input);
  return r.success ? {} : fieldErrorsFrom(r.error);
};

describe('mintTokenSchema', () => {
  it('accepts a minimal request and fills the defaults', () => {
    const r = parse({});
    expect(r.success).toBe(true);
    if (r.success) {
      expect(r.data.sessionDurationInMinutes).toBe(60);
      expect(r.data.capabilities).toEqual([]);
      expect(r.data.attributes).toEqual([]);
    }
  });

  it('checks the room ARN against the model pattern, anchored', () => {
    expect(errors({ roomArn: '' }).roomArn).toMatch(/Choose a room/);
    expect(errors({ roomArn: 'not-an-arn' }).roomArn).toMatch(/Not a room ARN/);
    expect(errors({ roomArn: `x${ARN}` }).roomArn).toMatch(/Not a room ARN/);
    expect(errors({ roomArn: `${ARN}/extra` }).roomArn).toMatch(/Not a room ARN/);
    expect(errors({ roomArn: `arn:aws:ivschat:us-east-1:123456789012:room/${'a'.repeat(90)}` }).roomArn).toMatch(/at most 128/);
  });

  it('bounds userId at 1 and 128 code points', () => {
    expect(errors({ userId: '' }).userId).toMatch(/Enter a userId/);
    expect(errors({ userId: 'x' }).userId).toBeUndefined();
    expect(errors({ userId: 'x'.repeat(128) }).userId).toBeUndefined();
    expect(errors({ userId: 'x'.repeat(129) }).userId).toMatch(/129 characters; the limit is 128/);
    expect(errors({ userId: '😀'.repeat(128) }).userId).toBeUndefined();
    expect(errors({ userId: 'a\u0007' }).userId).toMatch(/control/);
    expect(errors({ userId: 'a\uD800' }).userId).toMatch(/surrogate/);
  });

  it('flags white space at either end of a userId (the same rule in the form, the action and the API)', () => {
    expect(errors({ userId: ' ann ' }).userId).toBe(
      'userId starts and ends with a space. A userId is kept exactly, so it would be a different user from the one without it; remove the space.',
    );
    expect(errors({ userId: ' ann' }).userId).toMatch(/^userId starts with a space\./);
    expect(errors({ userId: 'ann ' }).userId).toMatch(/^userId ends with a space\./);
    expect(errors({ userId: 'ann\u00A0' }).userId).toMatch(/^userId ends with white space \(U\+00A0\)/);
    expect(errors({ userId: '\u3000ann' }).userId).toMatch(/starts with white space \(U\+3000\)/);
    // Inside a userId a space is just a character.
    expect(errors({ userId: 'ann  b' }).userId).toBeUndefined();
    expect(errors({ userId: '   ' }).userId).toMatch(/starts and ends with a space/);
  });

  it('keeps an existing userId exact for moderation: the edge rule is for new tokens only', () => {
    expect(userIdSchema.safeParse(' ann ').success).toBe(true);
  });

  it('bounds the duration at 1 and 180 whole minutes', () => {
    expect(errors({ sessionDurationInMinutes: 0 }).sessionDurationInMinutes).toMatch(/at least 1/);
    expect(errors({ sessionDurationInMinutes: 1 }).sessionDurationInMinutes).toBeUndefined();
    expect(errors({ sessionDurationInMinutes: 180 }).sessionDurationInMinutes).toBeUndefined();
    expect(errors({ sessionDurationInMinutes: 181 }).sessionDurationInMinutes).toMatch(/at most 180/);
    expect(errors({ sessionDurationInMinutes: 1.5 }).sessionDurationInMinutes).toMatch(/whole number/);
  });

  it('accepts only the model capabilities, once each', () => {
    expect(errors({ capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'] })).toEqual({});
    expect(errors({ capabilities: ['VIEW_MESSAGE'] })['capabilities.0']).toMatch(/one of/);
    expect(errors({ capabilities: ['SEND_MESSAGE', 'SEND_MESSAGE'] }).capabilities).toMatch(/once/);
  });

  it('puts attribute errors on the row that has them', () => {
    const e = errors({
      attributes: [
        { key: 'a', value: '1' },
        { key: '', value: '2' },
        { key: 'a', value: '3' },
      ],
    });
    expect(e['attributes.1.key']).toMatch(/Enter a key/);
    expect(e['attributes.2.key']).toMatch(/Duplicate key "a"/);
  });

  it('limits attributes to 1024 UTF-8 bytes', () => {
    expect(errors({ attributes: [{ key: 'k', value: 'x'.repeat(1023) }] })).toEqual({});
    expect(errors({ attributes: [{ key: 'k', value: 'x'.repeat(1024) }] }).attributes).toMatch(/1025 bytes; the limit is 1024/);
    expect(errors({ attributes: [{ key: 'k', value: 'é'.repeat(512) }] }).attributes).toMatch(/1025 bytes/);
  });

  it('accepts attributes as an object for API callers', () => {
    const r = parse({ attributes: { displayName: 'Ann', color: 'red' } });
    expect(r.success && r.data.attributes).toEqual([
      { key: 'displayName', value: 'Ann' },
      { key: 'color', value: 'red' },
    ]);
  });
});

describe('mintTokenSchema messages', () => {
  // zod/mini loads no locale: without a message of our own, the browser would say "Invalid input"
  // where the server (which loads zod's English locale through classic zod) says something else.
  const wrongTypes = {
    userId: 5,
    capabilities: 'SEND_MESSAGE',
    attributes: [{ key: 'k', value: 5 }],
    sessionDurationInMinutes: '60',
    reason: 7,
  };
  const expected = {
    userId: 'Enter a userId.',
    capabilities: 'Capabilities are a list of SEND_MESSAGE, DISCONNECT_USER, DELETE_MESSAGE.',
    'attributes.0.value': 'Attributes must be key-value pairs of text.',
    sessionDurationInMinutes: 'Session duration is a whole number of minutes.',
    reason: 'A reason is text.',
  };

  it('names every failure itself, with no zod locale loaded (as in the browser)', () => {
    expect(errors(wrongTypes)).toEqual(expected);
    const notAnObject = mintTokenSchema.safeParse('a string');
    expect(notAnObject.success ? {} : fieldErrorsFrom(notAnObject.error)).toEqual({
      form: 'A mint request is an object with roomArn and userId.',
    });
  });

  it('says the same once classic zod has loaded its English locale (as on the server)', async () => {
    const { z } = await import('zod');
    // Classic zod registers its English locale when its first schema is built; mini then uses it too.
    expect(z.string().safeParse(5).error?.issues[0].message).toMatch(/expected string, received number/);
    expect(errors(wrongTypes)).toEqual(expected);
    expect(errors({ sessionDurationInMinutes: 1.5 }).sessionDurationInMinutes).toBe('Session duration is a whole number of minutes.');
  });
});
