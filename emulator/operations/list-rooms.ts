import { byUpdateTimeDesc, paginate, roomSummary } from './shared';
import type { Input, OperationContext } from './types';

interface ListRoomsInput {
  name?: string;
  nextToken?: string;
  maxResults?: number;
  messageReviewHandlerUri?: string;
  loggingConfigurationIdentifier?: string;
}

export function listRooms(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as unknown as ListRoomsInput;
  const rooms = ctx.store
    .rooms(ctx.account, ctx.region)
    .filter((r) => input.name === undefined || r.name === input.name)
    .filter((r) => input.messageReviewHandlerUri === undefined || (r.messageReviewHandler?.uri ?? '') === input.messageReviewHandlerUri)
    .filter(
      (r) =>
        input.loggingConfigurationIdentifier === undefined ||
        r.loggingConfigurationIdentifiers.includes(input.loggingConfigurationIdentifier),
    )
    .sort(byUpdateTimeDesc);
  const filterKey = JSON.stringify(['rooms', input.name, input.messageReviewHandlerUri, input.loggingConfigurationIdentifier]);
  const { page, nextToken } = paginate(rooms, input, filterKey);
  return { rooms: page.map(roomSummary), nextToken };
}
