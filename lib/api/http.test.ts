import { describe, expect, it } from 'vitest';
import { apiError, MAX_BODY_BYTES, mintFailureResponse, mintFailureStatus, readJsonBody } from './http';

const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://localhost/api/v1/tokens', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readJsonBody', () => {
  it('parses JSON (charset allowed) and keeps the text for the idempotency hash', async () => {
    const r = await readJsonBody(post('{"a":1}', { 'content-type': 'application/json; charset=utf-8' }));
    expect(r).toEqual({ ok: true, body: { a: 1 }, text: '{"a":1}' });
  });

  it('refuses other content types (415), malformed JSON (400) and bodies over the cap (413) even without Content-Length', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const r = await readJsonBody(post('{}', type ? { 'content-type': type } : {}));
      expect(r.ok || r.response.status).toBe(415);
    }
    const bad = await readJsonBody(post('{"a":'));
    expect(bad.ok || (await bad.response.json())).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: { body: 'Not valid JSON.' } });
    const big = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(MAX_BODY_BYTES / 4).fill(32));
        c.close();
      },
    });
    const tooLarge = await readJsonBody(post(big));
    expect(tooLarge.ok || tooLarge.response.status).toBe(413);
    const exact = await readJsonBody(post(' '.repeat(MAX_BODY_BYTES - 2) + '{}'));
    expect(exact.ok).toBe(true);
  });
});

describe('error responses', () => {
  it('are JSON with code, message and fieldErrors, never cached', async () => {
    const res = apiError(404, 'NOT_FOUND', 'nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ code: 'NOT_FOUND', message: 'nope', fieldErrors: {} });
  });

  it('map mint failures to their status, with Retry-After where it applies', async () => {
    expect(mintFailureStatus({ ok: false, code: 'INVALID_INPUT', message: '' })).toBe(400);
    expect(mintFailureStatus({ ok: false, code: 'FORBIDDEN', message: '', rule: 'r' })).toBe(403);
    expect(mintFailureStatus({ ok: false, code: 'AUDIT_UNAVAILABLE', message: '' })).toBe(503);
    expect(mintFailureStatus({ ok: false, code: 'AWS_ERROR', message: '', awsCode: 'AccessDeniedException' })).toBe(502);
    expect(mintFailureStatus({ ok: false, code: 'AWS_ERROR', message: '', awsCode: 'ThrottlingException' })).toBe(502);
    expect(mintFailureStatus({ ok: false, code: 'AWS_ERROR', message: '', awsCode: 'ResourceNotFoundException' })).toBe(404);
    expect(mintFailureStatus({ ok: false, code: 'AWS_ERROR', message: '', awsCode: 'ValidationException' })).toBe(400);
    expect(mintFailureStatus({ ok: false, code: 'AWS_OUTCOME_UNKNOWN', message: '', auditId: 'a' })).toBe(502);
    const limited = mintFailureResponse({
      ok: false,
      code: 'RATE_LIMITED',
      message: 'slow down',
      rule: 'rateLimits.mintPerApiKey',
      retryAfterSeconds: 17,
      retryable: true,
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('17');
    expect(await limited.json()).toEqual({
      code: 'RATE_LIMITED',
      message: 'slow down',
      fieldErrors: {},
      rule: 'rateLimits.mintPerApiKey',
      retryAfterSeconds: 17,
      retryable: true,
    });
  });
});
