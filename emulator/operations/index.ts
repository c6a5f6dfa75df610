import { createChatToken } from './create-chat-token';
import { createLoggingConfiguration } from './create-logging-configuration';
import { createRoom } from './create-room';
import { deleteLoggingConfiguration } from './delete-logging-configuration';
import { deleteMessage } from './delete-message';
import { deleteRoom } from './delete-room';
import { disconnectUser } from './disconnect-user';
import { getLoggingConfiguration } from './get-logging-configuration';
import { getRoom } from './get-room';
import { listLoggingConfigurations } from './list-logging-configurations';
import { listRooms } from './list-rooms';
import { listTagsForResource } from './list-tags-for-resource';
import { sendEvent } from './send-event';
import { tagResource } from './tag-resource';
import { untagResource } from './untag-resource';
import { updateLoggingConfiguration } from './update-logging-configuration';
import { updateRoom } from './update-room';
import type { OperationHandler } from './types';

export type { OperationContext, OperationHandler } from './types';

/** Keyed by the model's operation names; the server refuses to start if one is missing. */
export const handlers: Record<string, OperationHandler> = {
  CreateChatToken: createChatToken,
  CreateLoggingConfiguration: createLoggingConfiguration,
  CreateRoom: createRoom,
  DeleteLoggingConfiguration: deleteLoggingConfiguration,
  DeleteMessage: deleteMessage,
  DeleteRoom: deleteRoom,
  DisconnectUser: disconnectUser,
  GetLoggingConfiguration: getLoggingConfiguration,
  GetRoom: getRoom,
  ListLoggingConfigurations: listLoggingConfigurations,
  ListRooms: listRooms,
  ListTagsForResource: listTagsForResource,
  SendEvent: sendEvent,
  TagResource: tagResource,
  UntagResource: untagResource,
  UpdateLoggingConfiguration: updateLoggingConfiguration,
  UpdateRoom: updateRoom,
};
