import { requireRoom } from './shared';
import type { Input, OperationContext } from './types';

export function deleteMessage(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { roomIdentifier: string; id: string; reason?: string };
  const room = requireRoom(ctx, input.roomIdentifier);
  // AWS does not check that the message exists (messages are not stored), so neither do we.
  const id = ctx.chat.deleteMessage(room.arn, input.id, input.reason);
  return { id };
}
