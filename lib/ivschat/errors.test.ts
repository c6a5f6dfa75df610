import { describe, expect, it } from 'vitest';
import { IvschatServiceException, ValidationException, ThrottlingException } from '@aws-sdk/client-ivschat';
import { describeIvschatError, isOutcomeUnknown } from './errors';

const meta = { httpStatusCode: 400, requestId: 'req-1' };

describe('describeIvschatError', () => {
  it("puts a ValidationException's fieldList on the form's fields", () => {
    const err = new ValidationException({
      $metadata: meta,
      message: 'bad',
      reason: 'FIELD_VALIDATION_FAILED',
      fieldList: [
        { name: 'roomIdentifier', message: 'bad arn' },
        { name: 'sessionDurationInMinutes', message: 'too long' },
      ],
    });
    const out = describeIvschatError(err);
    expect(out.code).toBe('ValidationException');
    expect(out.requestId).toBe('req-1');
    expect(out.fieldErrors).toEqual({ roomArn: 'AWS: bad arn', sessionDurationInMinutes: 'AWS: too long' });
  });

  it('marks throttling and 5xx as retryable, in plain words', () => {
    const throttled = describeIvschatError(
      new ThrottlingException({ $metadata: { httpStatusCode: 429 }, message: 'x', resourceId: 'r', resourceType: 'ROOM', limit: 200 }),
    );
    expect(throttled).toMatchObject({ code: 'ThrottlingException', retryable: true });
    const server = describeIvschatError(
      new IvschatServiceException({ name: 'Unknown', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'x' }),
    );
    expect(server).toMatchObject({ retryable: true });
    expect(server.message).toMatch(/internal error \(HTTP 500\)/);
  });

  it('explains timeouts and unreachable endpoints', () => {
    expect(describeIvschatError(Object.assign(new Error('t'), { name: 'TimeoutError' })).code).toBe('Timeout');
    expect(describeIvschatError(Object.assign(new Error('c'), { code: 'ECONNREFUSED' })).message).toMatch(
      /Could not reach IVS Chat \(ECONNREFUSED\)/,
    );
  });

  it('tells a lost answer (outcome unknown, never retried) from a call that was never sent', () => {
    const requestTimeout = Object.assign(new Error('a request has exceeded the configured 500 ms requestTimeout.'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    const connectTimeout = Object.assign(
      new Error(
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 500 ms.',
      ),
      { name: 'TimeoutError' },
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const answered500 = Object.assign(new Error('x'), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } });
    const cutAfter200 = Object.assign(new Error('Unexpected end of JSON input'), {
      name: 'SyntaxError',
      $metadata: { httpStatusCode: 200 },
    });
    const signing = new Error('Could not load credentials from any providers');
    expect([requestTimeout, reset, cutAfter200].map(isOutcomeUnknown)).toEqual([true, true, true]);
    expect([connectTimeout, refused, answered500, signing].map(isOutcomeUnknown)).toEqual([false, false, false, false]);
    expect(describeIvschatError(requestTimeout)).toMatchObject({ code: 'Timeout', outcomeUnknown: true, retryable: false });
    expect(describeIvschatError(reset)).toMatchObject({ code: 'NetworkError', outcomeUnknown: true, retryable: false });
    expect(describeIvschatError(connectTimeout)).toMatchObject({ code: 'Timeout', retryable: true });
    expect(describeIvschatError(connectTimeout).message).toMatch(/No token was issued/);
    expect(describeIvschatError(refused)).toMatchObject({ code: 'NetworkError', retryable: true });
  });
});
