import { requireRoom } from './shared';
import type { Input, OperationContext } from './types';

export function deleteRoom(raw: Input, ctx: OperationContext): undefined {
  const { identifier } = raw as { identifier: string };
  const room = requireRoom(ctx, identifier);
  ctx.store.delete(room.arn);
  ctx.chat.closeRoom(room.arn);
  return undefined;
}
