import { requireRoom } from './shared';
import type { Input, OperationContext } from './types';

export function disconnectUser(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { roomIdentifier: string; userId: string; reason?: string };
  const room = requireRoom(ctx, input.roomIdentifier);
  ctx.chat.disconnectUser(room.arn, input.userId, input.reason);
  return {};
}
