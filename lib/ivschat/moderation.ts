import 'server-only';
import { DeleteMessageCommand, DisconnectUserCommand, SendEventCommand } from '@aws-sdk/client-ivschat';
import { ivschatClientForRoom } from './client';
import { describeIvschatError, type IvschatFailure } from './errors';

/**
 * DisconnectUser, DeleteMessage and SendEvent as plain results (the room's chat clients receive
 * aws:DISCONNECT_USER / aws:DELETE_MESSAGE / the custom event). Failures are described, not thrown.
 */
export type ModerationResult<T> = { ok: true; data: T } | { ok: false; error: IvschatFailure };

// The mint-specific field names in describeIvschatError fit here too (roomIdentifier -> roomArn).
async function run<T>(fn: () => Promise<T>): Promise<ModerationResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    const error = describeIvschatError(err);
    // The generic text speaks of tokens; say what was refused instead.
    if (error.code === 'AccessDeniedException') {
      error.message = "AWS refused the request: the console's credentials are not allowed to moderate this room (AccessDeniedException).";
    }
    if (error.code === 'ThrottlingException')
      error.message = 'AWS is throttling this operation (100 per second per account). Wait a moment and try again.';
    if (error.code === 'Timeout' || error.code === 'NetworkError' || error.code === 'ServerError') {
      error.message = error.message.replace(
        /No token was issued; try again\.?|if a token was issued, it was not delivered\.?/,
        'The outcome is unknown; try again.',
      );
    }
    return { ok: false, error };
  }
}

export function disconnectUser(input: {
  roomArn: string;
  userId: string;
  reason: string;
}): Promise<ModerationResult<{ requestId: string | null }>> {
  return run(async () => {
    const out = await ivschatClientForRoom(input.roomArn).send(
      new DisconnectUserCommand({ roomIdentifier: input.roomArn, userId: input.userId, reason: input.reason }),
    );
    return { requestId: out.$metadata.requestId ?? null };
  });
}

export function deleteMessage(input: {
  roomArn: string;
  messageId: string;
  reason: string;
}): Promise<ModerationResult<{ id: string | null; requestId: string | null }>> {
  return run(async () => {
    const out = await ivschatClientForRoom(input.roomArn).send(
      new DeleteMessageCommand({ roomIdentifier: input.roomArn, id: input.messageId, reason: input.reason }),
    );
    return { id: out.id ?? null, requestId: out.$metadata.requestId ?? null };
  });
}

export function sendEvent(input: {
  roomArn: string;
  eventName: string;
  attributes: Record<string, string>;
}): Promise<ModerationResult<{ id: string | null; requestId: string | null }>> {
  return run(async () => {
    const out = await ivschatClientForRoom(input.roomArn).send(
      new SendEventCommand({
        roomIdentifier: input.roomArn,
        eventName: input.eventName,
        attributes: Object.keys(input.attributes).length ? input.attributes : undefined,
      }),
    );
    return { id: out.id ?? null, requestId: out.$metadata.requestId ?? null };
  });
}
