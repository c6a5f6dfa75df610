import { describe, expect, it } from 'vitest';
import { failureResponse, failureStatus } from './http';
import { ERROR_CODES, fail } from './result';

describe('failureResponse', () => {
  it('gives every code a status; AWS_ERROR follows its awsCode as /api/v1 documents', () => {
    for (const code of ERROR_CODES) expect(failureStatus(fail(code, 'x'))).toBeGreaterThanOrEqual(400);
    expect(failureStatus(fail('AWS_ERROR', '', { awsCode: 'AccessDeniedException' }))).toBe(502);
    expect(failureStatus(fail('AWS_ERROR', '', { awsCode: 'ResourceNotFoundException' }))).toBe(404);
    expect(failureStatus(fail('AWS_ERROR', '', { awsCode: 'ValidationException' }))).toBe(400);
    expect(failureStatus(fail('AWS_OUTCOME_UNKNOWN', '', { awsCode: 'Timeout' }))).toBe(502);
  });

  it('is the Failure as JSON, never cached, with Retry-After where waiting helps', async () => {
    const limited = failureResponse(
      fail('RATE_LIMITED', 'slow down', { rule: 'rateLimits.mintPerApiKey', retryAfterSeconds: 17, retryable: true }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('17');
    expect(limited.headers.get('cache-control')).toBe('no-store');
    expect(await limited.json()).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'slow down',
      fieldErrors: {},
      rule: 'rateLimits.mintPerApiKey',
      retryAfterSeconds: 17,
      retryable: true,
    });
    expect(failureResponse(fail('AUDIT_UNAVAILABLE', 'db')).headers.get('retry-after')).toBe('5');
  });

  it('says WWW-Authenticate on an API-key route: invalid_token only when a key was sent', () => {
    const none = new Request('http://localhost/api/v1/rooms');
    const sent = new Request('http://localhost/api/v1/rooms', { headers: { authorization: 'Bearer nope' } });
    expect(failureResponse(fail('UNAUTHENTICATED', 'x'), { bearer: none }).headers.get('www-authenticate')).toBe(
      'Bearer realm="ivs-chat-console"',
    );
    expect(failureResponse(fail('UNAUTHENTICATED', 'x'), { bearer: sent }).headers.get('www-authenticate')).toBe(
      'Bearer realm="ivs-chat-console", error="invalid_token"',
    );
    expect(failureResponse(fail('UNAUTHENTICATED', 'x')).headers.get('www-authenticate')).toBeNull();
  });
});
