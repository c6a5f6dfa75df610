import 'server-only';
import { DeleteMessageCommand, DisconnectUserCommand, SendEventCommand } from '@aws-sdk/client-ivschat';
import { ivschatClient, regionFromArn } from './client';
import { describeIvschatError, type IvschatFailure, type IvschatOperation } from './errors';

/**
 * DisconnectUser, DeleteMessage and SendEvent as plain results (the room's chat clients receive
 * aws:DISCONNECT_USER / aws:DELETE_MESSAGE / the custom event). Failures are described, not thrown.
 */
export type ModerationResult<T> = { ok: true; data: T } | { ok: false; error: IvschatFailure };

async function run<T>(operation: IvschatOperation, fn: () => Promise<T>): Promise<ModerationResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    return { ok: false, error: describeIvschatError(err, operation) };
  }
}

export function disconnectUser(input: {
  roomArn: string;
  userId: string;
  reason: string;
}): Promise<ModerationResult<{ requestId: string | null }>> {
  return run('DisconnectUser', async () => {
    const out = await ivschatClient(regionFromArn(input.roomArn)).send(
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
  return run('DeleteMessage', async () => {
    const out = await ivschatClient(regionFromArn(input.roomArn)).send(
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
  return run('SendEvent', async () => {
    const out = await ivschatClient(regionFromArn(input.roomArn)).send(
      new SendEventCommand({
        roomIdentifier: input.roomArn,
        eventName: input.eventName,
        attributes: Object.keys(input.attributes).length ? input.attributes : undefined,
      }),
    );
    return { id: out.id ?? null, requestId: out.$metadata.requestId ?? null };
  });
}
