import 'server-only';
import { CreateChatTokenCommand, type ChatTokenCapability } from '@aws-sdk/client-ivschat';
import { ivschatClientForRoom } from './client';

export interface IssuedChatToken {
  token: string;
  tokenExpirationTime: Date;
  sessionExpirationTime: Date;
  requestId: string | null;
}

/** CreateChatToken. Only lib/mint calls this: every token goes through the one audited mint path. */
export async function createChatToken(
  request: {
    roomArn: string;
    userId: string;
    capabilities: readonly string[];
    sessionDurationInMinutes: number;
    attributes: Record<string, string>;
  },
  options: { singleAttempt?: boolean } = {},
): Promise<IssuedChatToken> {
  const out = await ivschatClientForRoom(request.roomArn, { ...options, mint: true }).send(
    new CreateChatTokenCommand({
      roomIdentifier: request.roomArn,
      userId: request.userId,
      capabilities: request.capabilities as ChatTokenCapability[],
      sessionDurationInMinutes: request.sessionDurationInMinutes,
      attributes: Object.keys(request.attributes).length ? request.attributes : undefined,
    }),
  );
  if (!out.token || !out.tokenExpirationTime || !out.sessionExpirationTime) {
    throw Object.assign(new Error('CreateChatToken answered without a token or its expiry times'), { name: 'IncompleteResponse' });
  }
  return {
    token: out.token,
    tokenExpirationTime: out.tokenExpirationTime,
    sessionExpirationTime: out.sessionExpirationTime,
    requestId: out.$metadata.requestId ?? null,
  };
}
