import 'server-only';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext } from '@smithy/types';
import { env } from '@/lib/env';
import { metrics } from '@/lib/ops/metrics';
import { currentPriority, governor, quotaOf } from './governor';
import { NoAmbiguousRetryStrategy } from './retry';

/**
 * One SDK client per region. The SDK's default handler has no timeout at all, so every client gets
 * explicit connection and request timeouts and the standard, bounded retry policy.
 */
const clients = new Map<string, IvschatClient>();
const agents: Agent[] = [];

/**
 * Sockets the SDK clients' HTTP agents hold right now: in use, idle (keep-alive) and requests
 * queued for one. A call that timed out must leave none behind (issue 7's hang test).
 */
export function ivschatSockets(): { active: number; idle: number; queued: number } {
  const count = (m: NodeJS.ReadOnlyDict<unknown[]>) => Object.values(m).reduce((n, list) => n + (list?.length ?? 0), 0);
  return {
    active: agents.reduce((n, a) => n + count(a.sockets), 0),
    idle: agents.reduce((n, a) => n + count(a.freeSockets), 0),
    queued: agents.reduce((n, a) => n + count(a.requests), 0),
  };
}

export function ivschatClient(region: string, options: { singleAttempt?: boolean; mint?: boolean } = {}): IvschatClient {
  // singleAttempt: a caller that paces and retries itself (the bulk runner) turns the SDK's retries off,
  // so every attempt waits for the caller's pacer and stays under one audit row.
  // mint: CreateChatToken is not idempotent; its client never retries a call whose outcome is unknown.
  const key = options.singleAttempt ? `${region}#single` : options.mint ? `${region}#mint` : region;
  let client = clients.get(key);
  if (!client) {
    const credentials =
      env.IVSCHAT_ACCESS_KEY_ID && env.IVSCHAT_SECRET_ACCESS_KEY
        ? { accessKeyId: env.IVSCHAT_ACCESS_KEY_ID, secretAccessKey: env.IVSCHAT_SECRET_ACCESS_KEY }
        : undefined; // the SDK's default credential chain
    // An idle keep-alive socket that the server closes just as it is reused fails the call after
    // sending, an outcome-unknown failure that is never retried (retry.ts). Node's agent honours a
    // server's `Keep-Alive: timeout=N` hint (it drops the socket a second early) only when the
    // agent has a timeout of its own, so it gets one; it applies to idle sockets only.
    const agentOptions = { keepAlive: true, maxSockets: 64, timeout: IDLE_SOCKET_MS };
    const httpAgent = new Agent(agentOptions);
    const httpsAgent = new HttpsAgent(agentOptions);
    agents.push(httpAgent, httpsAgent);
    client = new IvschatClient({
      region,
      endpoint: env.IVSCHAT_ENDPOINT,
      credentials,
      maxAttempts: options.singleAttempt ? 1 : env.IVSCHAT_MAX_ATTEMPTS,
      retryMode: 'standard',
      ...(options.mint && !options.singleAttempt ? { retryStrategy: new NoAmbiguousRetryStrategy(env.IVSCHAT_MAX_ATTEMPTS) } : {}),
      requestHandler: new NodeHttpHandler({
        connectionTimeout: Math.min(env.IVSCHAT_TIMEOUT_MS, 2_000),
        requestTimeout: env.IVSCHAT_TIMEOUT_MS,
        // Without this, @smithy/node-http-handler only logs a warning when requestTimeout passes.
        throwOnRequestTimeout: true,
        httpAgent,
        httpsAgent,
      }),
    });
    governCalls(client, DEFAULT_ACCOUNT, region);
    clients.set(key, client);
  }
  return client;
}

/** The account of the default credentials (until an accounts file names others). */
export const DEFAULT_ACCOUNT = 'default';

const THROTTLE_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException']);

/**
 * Every attempt (first tries and SDK retries alike) takes its turn from the governor before it is
 * signed and sent, and a throttle answer slows the lane down (lib/ivschat/governor.ts).
 */
function governCalls(client: IvschatClient, account: string, region: string): void {
  client.middlewareStack.addRelativeTo(
    (next: FinalizeHandler<any, any>, context: HandlerExecutionContext): FinalizeHandler<any, any> =>
      async (args: FinalizeHandlerArguments<any>) => {
        const quota = quotaOf(context.commandName ?? '');
        const priority = currentPriority();
        await governor().acquire(account, region, quota, priority);
        try {
          return await next(args);
        } catch (err) {
          if (THROTTLE_NAMES.has((err as { name?: string })?.name ?? '')) await governor().throttled(account, region, quota, priority);
          throw err;
        }
      },
    { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'ivschatGovernor', override: true },
  );
}

/** How long an idle keep-alive socket to IVS Chat is kept, unless the server announces less. */
const IDLE_SOCKET_MS = 15_000;

const ARN_REGION = /^arn:aws:ivschat:([a-z0-9-]+):/;

export function regionFromArn(arn: string): string {
  const match = ARN_REGION.exec(arn);
  if (!match) throw new Error('not an IVS Chat ARN');
  return match[1];
}
