import { normalizeHandler } from '../state';
import type { RoomFieldsInput } from './create-room';
import { requireRoom, resolveLoggingConfigurations, roomOutput } from './shared';
import type { Input, OperationContext } from './types';

interface UpdateRoomInput extends RoomFieldsInput {
  identifier: string;
}

export function updateRoom(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as unknown as UpdateRoomInput;
  const room = requireRoom(ctx, input.identifier);
  const lcs =
    input.loggingConfigurationIdentifiers !== undefined
      ? resolveLoggingConfigurations(ctx, input.loggingConfigurationIdentifiers)
      : undefined;
  if (input.name !== undefined) room.name = input.name;
  if (input.maximumMessageLength !== undefined) room.maximumMessageLength = input.maximumMessageLength;
  if (input.maximumMessageRatePerSecond !== undefined) room.maximumMessageRatePerSecond = input.maximumMessageRatePerSecond;
  if (input.messageReviewHandler !== undefined) {
    // The model doc: an empty uri disassociates the handler; a missing fallbackResult keeps ALLOW.
    const uri = input.messageReviewHandler.uri ?? room.messageReviewHandler?.uri;
    room.messageReviewHandler = normalizeHandler({ uri, fallbackResult: input.messageReviewHandler.fallbackResult });
  }
  if (lcs) room.loggingConfigurationIdentifiers = lcs;
  room.updateTime = ctx.now;
  room.seq = ctx.store.nextSeq();
  return roomOutput(room);
}
