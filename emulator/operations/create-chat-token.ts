import { randomUUID } from 'node:crypto';
import { throttling } from '../errors';
import { iso } from '../state';
import { requireRoom } from './shared';
import type { Input, OperationContext } from './types';

interface CreateChatTokenInput {
  roomIdentifier: string;
  userId: string;
  capabilities?: string[];
  sessionDurationInMinutes?: number;
  attributes?: Record<string, string>;
}

/** Documented default for sessionDurationInMinutes. */
const DEFAULT_SESSION_MINUTES = 60;

export function createChatToken(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as unknown as CreateChatTokenInput;
  const room = requireRoom(ctx, input.roomIdentifier);
  // Service quota "CreateChatToken: 200 TPS" per account; checked once the request is known good.
  if (ctx.quota.enabled && !ctx.quota.window.tryHit(ctx.account, ctx.now)) {
    throw throttling(room.id, ctx.quota.limit);
  }
  const sessionExpiresAt = ctx.now + (input.sessionDurationInMinutes ?? DEFAULT_SESSION_MINUTES) * ctx.sessionMinuteMs;
  const tokenExpiresAt = ctx.now + ctx.tokenTtlMs;
  const token = ctx.codec.encode({
    roomArn: room.arn,
    userId: input.userId,
    capabilities: [...new Set(input.capabilities ?? [])],
    attributes: { ...(input.attributes ?? {}) },
    sessionExpiresAt,
    tokenExpiresAt,
    jti: randomUUID(),
  });
  ctx.stats.tokensIssued += 1;
  return { token, tokenExpirationTime: iso(tokenExpiresAt), sessionExpirationTime: iso(sessionExpiresAt) };
}
