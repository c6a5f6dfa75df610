import {
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_MAX_MESSAGE_RATE,
  normalizeHandler,
  randomId,
  roomArn,
  type MessageReviewHandler,
  type Room,
} from '../state';
import { resolveLoggingConfigurations, roomOutput } from './shared';
import { rejectReservedTagKeys } from './tags-shared';
import type { Input, OperationContext } from './types';

export interface RoomFieldsInput {
  name?: string;
  maximumMessageRatePerSecond?: number;
  maximumMessageLength?: number;
  messageReviewHandler?: Partial<MessageReviewHandler>;
  loggingConfigurationIdentifiers?: string[];
}

interface CreateRoomInput extends RoomFieldsInput {
  tags?: Record<string, string>;
}

export function createRoom(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as unknown as CreateRoomInput;
  rejectReservedTagKeys(Object.keys(input.tags ?? {}), 'tags');
  const lcs = resolveLoggingConfigurations(ctx, input.loggingConfigurationIdentifiers);
  const id = randomId();
  const room: Room = {
    kind: 'room',
    arn: roomArn(ctx.region, ctx.account, id),
    id,
    account: ctx.account,
    region: ctx.region,
    name: input.name ?? '',
    createTime: ctx.now,
    updateTime: ctx.now,
    seq: ctx.store.nextSeq(),
    maximumMessageLength: input.maximumMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
    maximumMessageRatePerSecond: input.maximumMessageRatePerSecond ?? DEFAULT_MAX_MESSAGE_RATE,
    messageReviewHandler: normalizeHandler(input.messageReviewHandler),
    tags: { ...(input.tags ?? {}) },
    loggingConfigurationIdentifiers: lcs,
  };
  ctx.store.put(room);
  return roomOutput(room);
}
