import 'server-only';
import { fail, type Failure } from '@/lib/contract/result';

/** The largest /api/v1 body; bulk jobs pass their own limit. */
export const MAX_BODY_BYTES = 256 * 1024;

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(0)} MB` : `${bytes / 1024} KB`);

/**
 * The request's JSON body, refused early when it is not JSON (UNSUPPORTED_MEDIA_TYPE), larger than
 * `maxBytes` (PAYLOAD_TOO_LARGE: counted in bytes as it streams, whatever Content-Length claims) or
 * malformed (INVALID_INPUT).
 */
export async function readJsonBody(
  request: Request,
  options: { maxBytes?: number; tooLargeHint?: string } = {},
): Promise<{ ok: true; body: unknown; text: string } | Failure> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return fail('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json.');
  }
  const tooLarge = () =>
    fail(
      'PAYLOAD_TOO_LARGE',
      `The body is larger than ${sizeText(maxBytes)}. ${options.tooLargeHint ?? 'Split the batch into smaller requests.'}`,
    );
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, body: JSON.parse(text) as unknown, text };
  } catch {
    return fail('INVALID_INPUT', 'The body is not valid JSON.', { fieldErrors: { body: 'Not valid JSON.' } });
  }
}
