import { readJsonBody } from '@/lib/api/http';
import { authorize } from '@/lib/contract/guard';
import { failureResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { claimIdempotencyKey, finishIdempotencyKey, IDEMPOTENCY_KEY_PATTERN, requestHash } from '@/lib/api/idempotency';
import { mintFromApi, tokenRecordPath } from '@/lib/api/tokens';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

/**
 * POST /api/v1/tokens: one mint request, or `{ "requests": [...] }` (at most 100). Every item goes
 * through mintToken with the key's role, so the form's schema, policy, rate limit and audit apply.
 * One request answers 201 with the token; a batch answers 200 with a result (and status) per item.
 */
export async function POST(request: Request): Promise<Response> {
  const auth = await authorize({ apiKeyFrom: request });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  if (auth.principal.kind !== 'apiKey') return failureResponse(fail('UNAUTHENTICATED', 'Send an API key as Authorization: Bearer <key>.'));
  const { actor } = auth;
  const { apiKeyId } = auth.principal.key;

  const idempotencyKey = request.headers.get('idempotency-key');
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    return failureResponse(
      fail('INVALID_INPUT', 'Idempotency-Key is 1 to 255 visible ASCII characters.', {
        fieldErrors: { 'Idempotency-Key': 'Invalid header value.' },
      }),
    );
  }
  const body = await readJsonBody(request);
  if (!body.ok) return failureResponse(body);

  if (idempotencyKey !== null) {
    let claim;
    try {
      claim = await claimIdempotencyKey(apiKeyId, idempotencyKey, requestHash(body.text));
    } catch (err) {
      log.error(
        { event: 'api.idempotency_failed', err: err instanceof Error ? err.message : String(err) },
        'idempotency claim failed; nothing minted',
      );
      return failureResponse(
        fail('AUDIT_UNAVAILABLE', 'The console database could not be reached, so no token was issued. Try again shortly.', {
          retryable: true,
        }),
      );
    }
    if (!claim.ok) {
      return failureResponse(
        fail(
          'IDEMPOTENCY_KEY_REUSED',
          claim.auditIds
            ? `This Idempotency-Key was already used at ${claim.firstUsedAt}. Tokens are shown once, so the earlier result cannot be sent again; read its records instead.`
            : `A request with this Idempotency-Key is still running (since ${claim.firstUsedAt}) or was interrupted.`,
        ),
        {
          extra: {
            firstUsedAt: claim.firstUsedAt,
            sameRequest: claim.sameRequest,
            auditIds: claim.auditIds ?? [],
            records: (claim.auditIds ?? []).map(tokenRecordPath),
          },
        },
      );
    }
  }

  const { response, auditIds } = await mintFromApi(actor, body.body);
  if (idempotencyKey !== null) {
    await finishIdempotencyKey(apiKeyId, idempotencyKey, auditIds).catch((err) =>
      log.error(
        { event: 'api.idempotency_failed', err: err instanceof Error ? err.message : String(err) },
        'could not record the idempotency key result',
      ),
    );
  }
  return response;
}
