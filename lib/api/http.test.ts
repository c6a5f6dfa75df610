import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readJsonBody } from './http';

const post = (body: BodyInit | null, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new Request('http://localhost/api/v1/tokens', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

const stream = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });

describe('readJsonBody', () => {
  it('parses JSON (charset allowed) and keeps the text for the idempotency hash', async () => {
    const r = await readJsonBody(post('{"a":1}', { 'content-type': 'application/json; charset=utf-8' }));
    expect(r).toEqual({ ok: true, body: { a: 1 }, text: '{"a":1}' });
  });

  it('refuses other content types, malformed JSON and bodies over the cap even without Content-Length', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const r = await readJsonBody(post('{}', type ? { 'content-type': type } : {}));
      expect(r).toMatchObject({ ok: false, code: 'UNSUPPORTED_MEDIA_TYPE', fieldErrors: {} });
    }
    expect(await readJsonBody(post('{"a":'))).toMatchObject({ ok: false, code: 'INVALID_INPUT', fieldErrors: { body: 'Not valid JSON.' } });
    const tooLarge = await readJsonBody(post(stream(Array.from({ length: 5 }, () => new Uint8Array(MAX_BODY_BYTES / 4).fill(32)))));
    expect(tooLarge).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
    expect((await readJsonBody(post(' '.repeat(MAX_BODY_BYTES - 2) + '{}'))).ok).toBe(true);
  });

  it('counts bytes, not characters: a body of multi-byte characters over the byte cap is refused', async () => {
    // 100 characters of 4 bytes each: 400 bytes, over a 300-byte cap although only 104 characters long.
    const text = JSON.stringify({ csv: '😀'.repeat(100) });
    expect(text.length).toBeLessThan(300);
    expect(await readJsonBody(post(text), { maxBytes: 300 })).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
    expect((await readJsonBody(post(text), { maxBytes: 500 })).ok).toBe(true);
  });
});
