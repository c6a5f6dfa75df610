import { randomUUID } from 'node:crypto';
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
