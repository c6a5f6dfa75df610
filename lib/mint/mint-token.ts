import 'server-only';
import { recordMintFailed, recordMintIssued, recordMintRequested, type AuditActor } from '@/lib/audit/store';
import { tokenFingerprint } from '@/lib/audit/fingerprint';
import { checkMintPolicy, getPolicy } from '@/lib/auth/policy';
import { accountForArn } from '@/lib/ivschat/accounts';
import { regionFromArn, roomArnRegionProblem } from '@/lib/ivschat/client';
import { metrics } from '@/lib/ops/metrics';
import { describeIvschatError, ivschatFailure, type IvschatFailure } from '@/lib/ivschat/errors';
import { createChatToken } from '@/lib/ivschat/tokens';
import { log } from '@/lib/log';
import { findActiveDenial } from '@/lib/moderation/denylist';
import { hitRateLimit, isBulkReservation, type BulkReservation } from './rate-limit';
import { recordMintRefusal } from './refusals';
import { resolveRoomField } from './resolve-room';
import { rowsToAttributes } from '@/lib/shared/tokens/attributes';
import { mintTokenSchema } from '@/lib/shared/tokens/schema';
import { fail, invalidInput, type ErrorCode, type FieldErrors, type Result } from '@/lib/contract/result';
import type { Capability } from '@/lib/shared/tokens/limits';
import type { Role } from '@/lib/shared/policy/roles';

export interface MintActor {
  staffId: string;
  email: string;
  role: Role;
  via: AuditActor['via'];
  apiKeyName?: string | null;
}

export type { MintedToken } from '@/lib/shared/tokens/minted';
import type { MintedToken } from '@/lib/shared/tokens/minted';

/**
 * mintToken answers in the one contract (lib/contract/result.ts). Its failure codes are
 * INVALID_INPUT, FORBIDDEN, RATE_LIMITED, AUDIT_UNAVAILABLE, AWS_ERROR (with `awsCode`) and
 * AWS_OUTCOME_UNKNOWN (CreateChatToken may have issued a token whose answer was lost; its audit row
 * stays 'pending').
 */
export type MintResult = Result<MintedToken>;

/**
 * Paces CreateChatToken attempts for a caller that mints many (the bulk runner). With a pacer the
 * SDK does not retry: every attempt waits for `acquire`, and a failed attempt is retried after
 * `retryDelay` ms under the same audit row, so a bulk row has exactly one audit row however many
 * attempts it took.
 */
export interface MintCallPacer {
  acquire(): Promise<void>;
  /** Milliseconds to wait before attempt `attempt + 1`, or null to give up with this failure. */
  retryDelay(failure: IvschatFailure, attempt: number): number | null;
}

export interface MintOptions {
  /** Recorded on the audit row (bulk runs). */
  batchId?: string;
  /**
   * Called once the request's audit entry exists and before CreateChatToken is sent (the API notes
   * it under the Idempotency-Key). If it fails, nothing is sent and the entry is completed as failed.
   */
  onAuditRecorded?: (auditId: string) => Promise<void>;
  pacer?: MintCallPacer;
  /** A bulk row's batch was counted once against rateLimits.bulkRowsPerStaff (lib/mint/rate-limit.ts). */
  bulkReservation?: BulkReservation;
}

/**
 * The one path by which this console issues a token (docs/ARCHITECTURE.md): parse, authorize, write the
 * 'pending' audit row, call CreateChatToken, complete the row. No audit row, no token.
 */
export async function mintToken(actor: MintActor, input: unknown, options: MintOptions = {}): Promise<MintResult> {
  const result = await mintTokenOnce(actor, input, options);
  countMint(result, actor.via, input);
  return result;
}

const MINT_OUTCOME: Partial<Record<ErrorCode, string>> = {
  INVALID_INPUT: 'invalid',
  FORBIDDEN: 'refused',
  RATE_LIMITED: 'rate_limited',
  AUDIT_UNAVAILABLE: 'audit_unavailable',
  AWS_ERROR: 'failed',
  AWS_OUTCOME_UNKNOWN: 'outcome_unknown',
};

function countMint(result: MintResult, via: string, input: unknown): void {
  const roomArn = typeof input === 'object' && input !== null ? (input as { roomArn?: unknown }).roomArn : undefined;
  const region = (typeof roomArn === 'string' && /^arn:aws:ivschat:([a-z0-9-]+):/.exec(roomArn)?.[1]) || 'unknown';
  const outcome = result.ok ? 'issued' : (MINT_OUTCOME[result.code] ?? 'failed');
  const account = (typeof roomArn === 'string' && accountForArn(roomArn)?.label) || 'unknown';
  metrics().mints.inc({ outcome, via, account, region });
}

async function mintTokenOnce(actor: MintActor, raw: unknown, options: MintOptions): Promise<MintResult> {
  // A room id or name becomes its ARN here, on the server, whatever the browser resolved.
  const { input, roomError } = await resolveRoomField(raw);
  const parsed = mintTokenSchema.safeParse(input);
  if (roomError) {
    // Every field's error at once, the room's in the words of the room rule.
    const others = parsed.success ? {} : invalidInput(parsed.error.issues).fieldErrors;
    return fail('INVALID_INPUT', Object.keys(others).length ? 'Some fields need attention.' : roomError, {
      fieldErrors: { ...others, roomArn: roomError },
    });
  }
  if (!parsed.success) return invalidInput(parsed.error.issues);
  const request = parsed.data;
  // Before the policy (whose room-tag check may call GetRoom) and before any SDK client exists.
  const regionProblem = roomArnRegionProblem(request.roomArn);
  if (regionProblem) return fail('INVALID_INPUT', regionProblem, { fieldErrors: { roomArn: regionProblem } });
  // A refusal is an audit entry too (lib/mint/refusals.ts: bounded per actor and minute).
  const refused = (code: 'FORBIDDEN' | 'RATE_LIMITED', rule: string, message: string, denylistId?: string) =>
    recordMintRefusal({
      actor: { staffId: actor.staffId, email: actor.email, role: actor.role, via: actor.via, apiKeyName: actor.apiKeyName ?? null },
      roomArn: request.roomArn,
      region: regionOrNull(request.roomArn),
      userId: request.userId,
      capabilities: request.capabilities,
      durationMinutes: request.sessionDurationInMinutes,
      reason: request.reason || null,
      batchId: options.batchId ?? null,
      code,
      rule,
      message,
      denylistId,
    });

  const decision = await checkMintPolicy(actor.role, request);
  if (!decision.allowed) {
    log.info({ event: 'mint.refused', actor: actor.email, rule: decision.rule }, 'mint refused by policy');
    const fieldErrors: FieldErrors = {};
    for (const r of decision.refusals) if (r.field) fieldErrors[r.field] ??= `${r.message} (${r.rule})`;
    const message = `${decision.message} (rule ${decision.rule})`;
    return fail('FORBIDDEN', message, { rule: decision.rule, fieldErrors, auditId: await refused('FORBIDDEN', decision.rule, message) });
  }

  // The deny list: IVS cannot revoke an issued token, so a ban is "disconnect now, mint no more".
  let denial;
  try {
    denial = await findActiveDenial(request.userId, request.roomArn);
  } catch (err) {
    log.error({ event: 'denylist.check_failed', err: errorSummary(err) }, 'deny list check failed; no token minted');
    return fail('AUDIT_UNAVAILABLE', 'The console database could not be reached, so no token was issued. Try again shortly.', {
      retryable: true,
    });
  }
  if (denial) {
    log.info({ event: 'mint.refused', actor: actor.email, rule: 'denylist', denylistId: denial.id }, 'mint refused by the deny list');
    const scope = denial.roomArn ? 'in this room' : 'in every room';
    const until = denial.expiresAt ? ` until ${denial.expiresAt}` : '';
    const message = `This userId is on the deny list ${scope}${until}: ${denial.reason}`;
    return fail('FORBIDDEN', `${message} (rule denylist)`, {
      rule: 'denylist',
      fieldErrors: { userId: `${message} (denylist)` },
      auditId: await refused('FORBIDDEN', 'denylist', `${message} (rule denylist)`, denial.id),
    });
  }

  // Counted before the audit row and the SDK call, so a flood writes nothing and calls nothing.
  const limits = getPolicy().rateLimits;
  const [subject, limit, rule] = actor.apiKeyName
    ? [`apikey:${actor.apiKeyName}`, limits.mintPerApiKey, 'rateLimits.mintPerApiKey']
    : [`staff:${actor.staffId}`, limits.mintPerStaff, 'rateLimits.mintPerStaff'];
  let rate;
  try {
    // A bulk row is not counted per call: its whole batch was counted once, when it was started,
    // against rateLimits.bulkRowsPerStaff, and the runner paces it under the account's quota.
    // The policy is still checked above for every row.
    rate = isBulkReservation(options.bulkReservation, actor, options.batchId)
      ? ({ allowed: true, remaining: 0 } as const)
      : await hitRateLimit(subject, limit);
  } catch (err) {
    log.error({ event: 'ratelimit.failed', err: errorSummary(err) }, 'rate limit check failed; no token minted');
    return fail('AUDIT_UNAVAILABLE', 'The console database could not be reached, so no token was issued. Try again shortly.', {
      retryable: true,
    });
  }
  if (!rate.allowed) {
    log.warn({ event: 'mint.rate_limited', actor: actor.email, subject, retryAfterSeconds: rate.retryAfterSeconds }, 'mint rate limited');
    const message = `Too many tokens minted: at most ${limit.max} per ${limit.windowSeconds} s. Try again in ${rate.retryAfterSeconds} s.`;
    return fail('RATE_LIMITED', message, {
      rule,
      retryable: true,
      retryAfterSeconds: rate.retryAfterSeconds,
      auditId: await refused('RATE_LIMITED', rule, message),
    });
  }

  const region = regionFromArn(request.roomArn);
  const attributes = rowsToAttributes(request.attributes);
  let audit: { id: string };
  try {
    audit = await recordMintRequested({
      actor: { staffId: actor.staffId, email: actor.email, role: actor.role, via: actor.via, apiKeyName: actor.apiKeyName ?? null },
      roomArn: request.roomArn,
      region,
      userId: request.userId,
      attributes,
      capabilities: request.capabilities,
      durationMinutes: request.sessionDurationInMinutes,
      reason: request.reason || null,
      batchId: options.batchId ?? null,
    });
  } catch (err) {
    log.error({ event: 'audit.write_failed', err: errorSummary(err) }, 'audit write failed; no token minted');
    return fail(
      'AUDIT_UNAVAILABLE',
      'The audit log could not be written, so no token was issued. Try again shortly; if it persists, the console database needs attention.',
      { retryable: true },
    );
  }

  if (options.onAuditRecorded) {
    try {
      await options.onAuditRecorded(audit.id);
    } catch (err) {
      log.error({ event: 'audit.note_failed', auditId: audit.id, err: errorSummary(err) }, 'could not note the audit entry; nothing sent');
      await recordMintFailed(audit.id, {
        errorCode: 'NotSent',
        errorMessage: 'The console could not record the request; CreateChatToken was not called.',
      }).catch(() => {});
      return fail('AUDIT_UNAVAILABLE', 'The console database could not record the request, so no token was issued. Try again shortly.', {
        retryable: true,
        auditId: audit.id,
      });
    }
  }

  const issuedAt = new Date();
  let issued;
  try {
    issued = await callCreateChatToken(
      request.roomArn,
      request.userId,
      request.capabilities,
      request.sessionDurationInMinutes,
      attributes,
      options.pacer,
    );
  } catch (err) {
    const failure = describeIvschatError(err);
    if (failure.outcomeUnknown) {
      // Not 'failed' (AWS may have issued it) and never 'issued' without a fingerprint: the row
      // stays 'pending', which the history shows as outcome unknown. The cause goes to the log; a
      // pending row carries no completion fields (lib/audit/chain.ts).
      log.error(
        { event: 'mint.outcome_unknown', auditId: audit.id, awsCode: failure.code, err: errorSummary(err) },
        'CreateChatToken outcome unknown; audit row left pending',
      );
      return fail('AWS_OUTCOME_UNKNOWN', outcomeUnknownMessage(failure.code, audit.id), {
        awsCode: failure.code,
        retryable: false,
        auditId: audit.id,
      });
    }
    try {
      await recordMintFailed(audit.id, { errorCode: failure.code, errorMessage: failure.message });
    } catch (auditErr) {
      log.error({ event: 'audit.complete_failed', auditId: audit.id, err: errorSummary(auditErr) }, 'could not mark audit row failed');
    }
    log.warn({ event: 'mint.failed', auditId: audit.id, awsCode: failure.code, status: failure.httpStatus }, 'CreateChatToken failed');
    return ivschatFailure(failure, { auditId: audit.id });
  }

  let auditWarning: string | undefined;
  try {
    await recordMintIssued(audit.id, {
      fingerprint: tokenFingerprint(issued.token),
      tokenExpiresAt: issued.tokenExpirationTime,
      sessionExpiresAt: issued.sessionExpirationTime,
      requestId: issued.requestId,
    });
  } catch (err) {
    // The token exists at AWS and its 'pending' row stays, shown as such (docs/ARCHITECTURE.md, "Fail closed").
    auditWarning = 'The token was issued, but its audit record could not be completed and remains pending.';
    log.error({ event: 'audit.complete_failed', auditId: audit.id, err: errorSummary(err) }, 'could not mark audit row issued');
  }
  log.info(
    { event: 'token.minted', auditId: audit.id, actor: actor.email, via: actor.via, region, requestId: issued.requestId },
    'token minted',
  );

  return {
    ok: true,
    data: {
      token: issued.token,
      tokenExpirationTime: issued.tokenExpirationTime.toISOString(),
      sessionExpirationTime: issued.sessionExpirationTime.toISOString(),
      issuedAt: issuedAt.toISOString(),
      auditId: audit.id,
      requestId: issued.requestId,
      request: {
        roomArn: request.roomArn,
        region,
        userId: request.userId,
        capabilities: request.capabilities,
        sessionDurationInMinutes: request.sessionDurationInMinutes,
        attributes: request.attributes,
        reason: request.reason,
      },
      auditWarning,
    },
  };
}

async function callCreateChatToken(
  roomArn: string,
  userId: string,
  capabilities: Capability[],
  sessionDurationInMinutes: number,
  attributes: Record<string, string>,
  pacer: MintCallPacer | undefined,
) {
  const call = () =>
    createChatToken({ roomArn, userId, capabilities, sessionDurationInMinutes, attributes }, { singleAttempt: pacer !== undefined });
  if (!pacer) return call();
  for (let attempt = 1; ; attempt++) {
    await pacer.acquire();
    try {
      return await call();
    } catch (err) {
      const delay = pacer.retryDelay(describeIvschatError(err), attempt);
      if (delay === null) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export function outcomeUnknownMessage(cause: string, auditId: string): string {
  const why = cause === 'Timeout' ? 'IVS Chat did not answer in time' : 'The connection to IVS Chat was lost before its answer arrived';
  return (
    `${why}, so AWS may have issued a token that was never delivered. Nothing was shown here and nothing was retried. ` +
    `The audit record ${auditId} stays "pending (outcome unknown)". Mint again if you still need a token.`
  );
}

function regionOrNull(roomArn: string): string | null {
  try {
    return regionFromArn(roomArn);
  } catch {
    return null;
  }
}

function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}
