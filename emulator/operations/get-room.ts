import { requireRoom, roomOutput } from './shared';
import type { Input, OperationContext } from './types';

export function getRoom(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const { identifier } = raw as { identifier: string };
  return roomOutput(requireRoom(ctx, identifier));
}
