import { randomId } from '../state';
import { requireRoom } from './shared';
import type { Input, OperationContext } from './types';

export function sendEvent(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { roomIdentifier: string; eventName: string; attributes?: Record<string, string> };
  const room = requireRoom(ctx, input.roomIdentifier);
  const id = randomId();
  // Clients see the same Id as the API response, so callers can correlate.
  ctx.chat.sendEvent(room.arn, { id, eventName: input.eventName, attributes: input.attributes ?? {} });
  return { id };
}
