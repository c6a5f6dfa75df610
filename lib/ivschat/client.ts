import 'server-only';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { env } from '@/lib/env';
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

/** A region named in an ARN that IVSCHAT_REGIONS does not list: refused before any client exists. */
export class RegionNotConfiguredError extends Error {
  override name = 'RegionNotConfiguredError';
  constructor(readonly region: string) {
    super(regionNotConfiguredMessage(region));
  }
}

function regionNotConfiguredMessage(region: string): string {
  return `The console is not configured for region ${JSON.stringify(region.slice(0, 40))}; its regions are ${env.IVSCHAT_REGIONS.join(', ')} (IVSCHAT_REGIONS).`;
}

/**
 * Why a room ARN cannot be used here (its region is not one of IVSCHAT_REGIONS), or null. Every
 * path that takes an ARN from a person checks this first, so an ARN naming any region string
 * (`arn:aws:ivschat:zz123-x:...`) never makes the server create, and keep, an SDK client for it.
 */
export function roomArnRegionProblem(arn: string): string | null {
  const match = ARN_REGION.exec(arn);
  if (!match) return 'Not a room ARN. Expected arn:aws:ivschat:<region>:<account>:room/<id>.';
  return env.IVSCHAT_REGIONS.includes(match[1]) ? null : regionNotConfiguredMessage(match[1]);
}

/**
 * Clients are per configured region (three kinds each), so the cache is bounded by the
 * configuration; the cap is a second line should a caller ever pass something else.
 */
const MAX_CLIENTS = 64;

/** SDK clients held right now (tests: the cache stays bounded). */
export function ivschatClientCount(): number {
  return clients.size;
}

export function ivschatClient(region: string, options: { singleAttempt?: boolean; mint?: boolean } = {}): IvschatClient {
  if (!env.IVSCHAT_REGIONS.includes(region)) throw new RegionNotConfiguredError(region);
  // singleAttempt: a caller that paces and retries itself (the bulk runner) turns the SDK's retries off,
  // so every attempt waits for the caller's pacer and stays under one audit row.
  // mint: CreateChatToken is not idempotent; its client never retries a call whose outcome is unknown.
  const key = options.singleAttempt ? `${region}#single` : options.mint ? `${region}#mint` : region;
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= MAX_CLIENTS) {
      const [oldestKey, oldest] = clients.entries().next().value!;
      clients.delete(oldestKey);
      oldest.destroy();
    }
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
    clients.set(key, client);
  }
  return client;
}

/** How long an idle keep-alive socket to IVS Chat is kept, unless the server announces less. */
const IDLE_SOCKET_MS = 15_000;

const ARN_REGION = /^arn:aws:ivschat:([a-z0-9-]+):/;

export function regionFromArn(arn: string): string {
  const match = ARN_REGION.exec(arn);
  if (!match) throw new Error('not an IVS Chat ARN');
  return match[1];
}
