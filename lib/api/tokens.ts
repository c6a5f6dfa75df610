import 'server-only';
import type { AuditRecord } from '@/lib/audit/store';
import { BulkPacer } from '@/lib/bulk/pacer';
import { inBatchLane } from '@/lib/ivschat/governor';
import { rolePolicy } from '@/lib/auth/policy';
import { noteIdempotencyAudit } from '@/lib/api/idempotency';
import { mintToken, type MintActor, type MintedToken } from '@/lib/mint/mint-token';
import { defaultSessionMinutes } from '@/lib/shared/tokens/mint-defaults';
import { rowsToAttributes } from '@/lib/shared/tokens/attributes';
import { mintTokenSchema } from '@/lib/shared/tokens/schema';
import { failureResponse, failureStatus, jsonResponse } from '@/lib/contract/http';
import { fail, type Failure, type FieldErrors } from '@/lib/contract/result';

/** Most requests in one `{ "requests": [...] }` call; larger runs belong to bulk minting. */
export const MAX_BATCH = 100;
/** Batch items minted at once (each still counts against the key's rate limit). */
const BATCH_CONCURRENCY = 4;

const ITEM_FIELDS = new Set(Object.keys(mintTokenSchema.shape));

export const tokenRecordPath = (auditId: string) => `/api/v1/tokens/${auditId}`;

/** The API's shape of a minted token: the mint result with attributes as an object, plus links. */
export type ApiMintedToken = Omit<MintedToken, 'request'> & {
  request: Omit<MintedToken['request'], 'attributes'> & { attributes: Record<string, string> };
  links: { record: string };
};

function toApiMinted(m: MintedToken): ApiMintedToken {
  const { auditWarning, ...rest } = m;
  return {
    ...rest,
    request: { ...m.request, attributes: rowsToAttributes(m.request.attributes) },
    ...(auditWarning ? { auditWarning } : {}),
    links: { record: tokenRecordPath(m.auditId) },
  };
}

/** Unknown fields are refused rather than ignored, so `capability` instead of `capabilities` is caught. */
function unknownFields(item: unknown, prefix = ''): FieldErrors {
  const errors: FieldErrors = {};
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    for (const key of Object.keys(item)) if (!ITEM_FIELDS.has(key)) errors[`${prefix}${key}`] = 'Unknown field.';
  }
  return errors;
}

function notAnObject(item: unknown): boolean {
  return !item || typeof item !== 'object' || Array.isArray(item);
}

export type ItemResult =
  { index: number; ok: true; status: 201; result: ApiMintedToken } | { index: number; ok: false; status: number; error: Failure };

export interface ApiMintOptions {
  /** Each audit entry the request writes is noted under this key (of this API key) before its CreateChatToken call. */
  idempotencyKey?: string | null;
  apiKeyId?: string;
}

/**
 * The mint requests a failure wrote (CreateChatToken was called or may have been): what an
 * Idempotency-Key remembers. A refusal's entry (token.refused) records that nothing was minted, so a
 * refused request leaves the key free for the corrected retry.
 */
function mintAttemptIds(error: Failure): string[] {
  return error.auditId && (error.code === 'AWS_ERROR' || error.code === 'AWS_OUTCOME_UNKNOWN') ? [error.auditId] : [];
}

const itemFailure = (index: number, error: Failure): ItemResult => ({ index, ok: false, status: failureStatus(error), error });

async function mintItem(
  actor: MintActor,
  item: unknown,
  index: number,
  options: ApiMintOptions & { pacer?: BulkPacer } = {},
): Promise<ItemResult> {
  if (notAnObject(item)) {
    return itemFailure(index, fail('INVALID_INPUT', 'Each request is a JSON object.', { fieldErrors: { form: 'Expected an object.' } }));
  }
  const unknown = unknownFields(item);
  if (Object.keys(unknown).length) {
    return itemFailure(index, fail('INVALID_INPUT', 'Some fields are not part of a mint request.', { fieldErrors: unknown }));
  }
  const key = options.idempotencyKey;
  const apiKeyId = options.apiKeyId;
  const result = await mintToken(actor, withDefaultDuration(item as Record<string, unknown>, actor.role), {
    ...(options.pacer ? { pacer: options.pacer } : {}),
    ...(key && apiKeyId ? { onAuditRecorded: (id: string) => noteIdempotencyAudit(apiKeyId, key, id) } : {}),
  });
  if (result.ok) return { index, ok: true, status: 201, result: toApiMinted(result.data) };
  return itemFailure(index, result);
}

/** Leaving sessionDurationInMinutes out asks for the role's default (mint-defaults.ts), never more than it may grant. */
function withDefaultDuration(item: Record<string, unknown>, role: MintActor['role']): Record<string, unknown> {
  if (item.sessionDurationInMinutes !== undefined) return item;
  return { ...item, sessionDurationInMinutes: defaultSessionMinutes(rolePolicy(role).maxSessionMinutes) };
}

/** The parsed outcome of POST /api/v1/tokens: the response and the audit ids it created. */
export async function mintFromApi(
  actor: MintActor,
  body: unknown,
  options: ApiMintOptions = {},
): Promise<{ response: Response; auditIds: string[] }> {
  if (notAnObject(body)) {
    return {
      response: failureResponse(
        fail('INVALID_INPUT', 'The body is a mint request object, or { "requests": [...] }.', {
          fieldErrors: { form: 'Expected an object.' },
        }),
      ),
      auditIds: [],
    };
  }
  const object = body as Record<string, unknown>;
  if (!('requests' in object)) {
    const item = await mintItem(actor, object, 0, options);
    if (item.ok) {
      return { response: jsonResponse(item.result, 201, { Location: item.result.links.record }), auditIds: [item.result.auditId] };
    }
    return { response: failureResponse(item.error), auditIds: mintAttemptIds(item.error) };
  }

  const extra = Object.keys(object).filter((k) => k !== 'requests');
  const requests = object.requests;
  const fieldErrors: FieldErrors = {};
  for (const k of extra) fieldErrors[k] = 'Unknown field (a batch body holds only "requests").';
  if (!Array.isArray(requests)) fieldErrors.requests = 'requests is an array of mint requests.';
  else if (requests.length === 0) fieldErrors.requests = 'requests holds at least one mint request.';
  else if (requests.length > MAX_BATCH)
    fieldErrors.requests = `requests holds at most ${MAX_BATCH} mint requests; split the batch or use bulk minting.`;
  if (Object.keys(fieldErrors).length) {
    return {
      response: failureResponse(fail('INVALID_INPUT', fieldErrors.requests ?? 'The batch body is not valid.', { fieldErrors })),
      auditIds: [],
    };
  }

  const items = requests as unknown[];
  const results: ItemResult[] = new Array(items.length);
  let next = 0;
  // A batch is pipeline work: the governor's batch lane, never ahead of interactive mints, and a
  // throttled item waits and retries (BulkPacer) instead of failing while the share has budget.
  const pacer = new BulkPacer();
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await inBatchLane(() => mintItem(actor, items[index], index, { ...options, pacer }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, items.length) }, worker));

  const issued = results.filter((r) => r.ok).length;
  const retryAfter = Math.max(0, ...results.map((r) => (!r.ok && r.error.code === 'RATE_LIMITED' ? (r.error.retryAfterSeconds ?? 1) : 0)));
  const auditIds = results.flatMap((r) => (r.ok ? [r.result.auditId] : mintAttemptIds(r.error)));
  return {
    response: jsonResponse(
      { issued, failed: results.length - issued, results },
      200,
      retryAfter ? { 'Retry-After': String(retryAfter) } : {},
    ),
    auditIds,
  };
}

/** A mint's audit record as the API shows it: what was asked, by whom, and how it ended. Never the token. */
export function toApiTokenRecord(r: AuditRecord) {
  return {
    id: r.id,
    at: r.at,
    status: r.status,
    actor: { id: r.actorId, email: r.actorEmail, role: r.actorRole, via: r.via, apiKeyName: r.apiKeyName },
    batchId: r.batchId,
    request: {
      roomArn: r.roomArn,
      region: r.region,
      userId: r.userId,
      capabilities: r.capabilities ?? [],
      sessionDurationInMinutes: r.durationMinutes,
      attributes: r.attributes ?? {},
      reason: r.reason ?? '',
    },
    tokenExpirationTime: r.tokenExpiresAt,
    sessionExpirationTime: r.sessionExpiresAt,
    requestId: r.requestId,
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? '' } : null,
    completedAt: r.completedAt,
  };
}
