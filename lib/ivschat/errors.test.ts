import { describe, expect, it } from 'vitest';
import { IvschatServiceException, ValidationException, ThrottlingException } from '@aws-sdk/client-ivschat';
import { describeIvschatError } from './errors';

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
    const server = describeIvschatError(new IvschatServiceException({ name: 'Unknown', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'x' }));
    expect(server).toMatchObject({ retryable: true });
    expect(server.message).toMatch(/internal error \(HTTP 500\)/);
  });

  it('explains timeouts and unreachable endpoints', () => {
    expect(describeIvschatError(Object.assign(new Error('t'), { name: 'TimeoutError' })).code).toBe('Timeout');
    expect(describeIvschatError(Object.assign(new Error('c'), { code: 'ECONNREFUSED' })).message).toMatch(/Could not reach IVS Chat \(ECONNREFUSED\)/);
  });
});
