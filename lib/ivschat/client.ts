import 'server-only';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, MetadataBearer } from '@smithy/types';
import { env } from '@/lib/env';
import { metrics } from '@/lib/ops/metrics';
import { accountForArn, accounts, credentialsFor, type Account } from './accounts';
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

/** A region named in an ARN that IVSCHAT_REGIONS does not list: refused before any client exists. */
export class RegionNotConfiguredError extends Error {
  override name = 'RegionNotConfiguredError';
  constructor(readonly region: string) {
    super(regionNotConfiguredMessage(region));
  }
}

function regionNotConfiguredMessage(region: string): string {
  const regions = [...new Set(accounts().flatMap((a) => a.regions))];
  return `The console is not configured for region ${JSON.stringify(region.slice(0, 40))}; its regions are ${regions.join(', ')} (IVSCHAT_REGIONS, or the accounts file).`;
}

/**
 * Why a room ARN cannot be used here (its region is not one of IVSCHAT_REGIONS), or null. Every
 * path that takes an ARN from a person checks this first, so an ARN naming any region string
 * (`arn:aws:ivschat:zz123-x:...`) never makes the server create, and keep, an SDK client for it.
 */
export function roomArnRegionProblem(arn: string): string | null {
  const match = ARN_REGION.exec(arn);
  if (!match) return 'Not a room ARN. Expected arn:aws:ivschat:<region>:<account>:room/<id>.';
  // With an accounts file, each account lists its own regions.
  const regions = accountForArn(arn)?.regions ?? accounts().flatMap((a) => a.regions);
  return regions.includes(match[1]) ? null : regionNotConfiguredMessage(match[1]);
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

export interface ClientOptions {
  /** A caller that paces and retries itself (the bulk runner) turns the SDK's retries off. */
  singleAttempt?: boolean;
  /** CreateChatToken is not idempotent; its client never retries a call whose outcome is unknown. */
  mint?: boolean;
  /** The account to call (lib/ivschat/accounts.ts); default: the first configured one. */
  account?: Account;
}

/** The client for a room: its ARN's region and the configured account its ARN names. */
export function ivschatClientForRoom(roomArn: string, options: Omit<ClientOptions, 'account'> = {}): IvschatClient {
  const account = accountForArn(roomArn);
  if (!account) {
    throw Object.assign(new Error(`No configured account holds ${roomArn} (IVSCHAT_ACCOUNTS_FILE).`), { name: 'AccountNotConfigured' });
  }
  return ivschatClient(regionFromArn(roomArn), { ...options, account });
}

export function ivschatClient(region: string, options: ClientOptions = {}): IvschatClient {
  const account = options.account ?? accounts()[0]!;
  if (!account.regions.includes(region)) throw new RegionNotConfiguredError(region);
  const key = `${account.id}|${region}${options.singleAttempt ? '#single' : options.mint ? '#mint' : ''}`;
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= MAX_CLIENTS) {
      const [oldestKey, oldest] = clients.entries().next().value!;
      clients.delete(oldestKey);
      oldest.destroy();
    }
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
      credentials: credentialsFor(account, region), // undefined: the SDK's default credential chain
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
    governCalls(client, account.id, region);
    clients.set(key, client);
  }
  return client;
}

const THROTTLE_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException']);

/**
 * Every attempt (first tries and SDK retries alike) takes its turn from the governor before it is
 * signed and sent, and a throttle answer slows the lane down (lib/ivschat/governor.ts).
 */
function governCalls(client: IvschatClient, account: string, region: string): void {
  client.middlewareStack.addRelativeTo(
    <Output extends MetadataBearer>(
      next: FinalizeHandler<object, Output>,
      context: HandlerExecutionContext,
    ): FinalizeHandler<object, Output> =>
      async (args: FinalizeHandlerArguments<object>) => {
        const quota = quotaOf(context.commandName ?? '');
        const priority = currentPriority();
        await governor().acquire(account, region, quota, priority);
        const operation = (context.commandName ?? 'unknown').replace(/Command$/, '');
        const done = metrics().ivschatCalls.startTimer({ operation, account, region });
        try {
          const out = await next(args);
          done({ outcome: 'ok' });
          return out;
        } catch (err) {
          const name = (err as { name?: string })?.name ?? 'Error';
          done({ outcome: name });
          if (THROTTLE_NAMES.has(name)) {
            metrics().ivschatThrottles.inc({ operation, account, region });
            await governor().throttled(account, region, quota, priority);
          }
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
