import { fileURLToPath } from 'node:url';
import { parseFault } from './control';
import { EmulatorServer } from './server';
import { applySeed, loadSeedFile, Store, type Room } from './state';
import { TokenCodec } from './tokens';

export type { SeedFile, SeedRoom, SeedLoggingConfiguration } from './state';
export type { Fault } from './control';

export interface EmulatorOptions {
  /** Default 4577; 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Path to a seed JSON; default emulator/seed.json; false starts with no rooms. */
  seed?: string | false;
  /** Accepted SigV4 key pairs; default [{ accessKeyId: 'test', secretAccessKey: 'test' }]. */
  credentials?: { accessKeyId: string; secretAccessKey: string }[];
  /** Default '123456789012'. */
  accountId?: string;
  /** CreateChatToken 200/s per account; default true. */
  quota?: boolean;
  /** Lifetime of an unused chat token; default 3600. */
  tokenTtlSeconds?: number;
  /** Optional request log; tokens and request bodies are never logged. */
  log?: (line: string) => void;
  /** Faults armed at start, same shape as the POST /_emulator/faults body. */
  faults?: unknown[];
  /**
   * Test hook: milliseconds in one minute of sessionDurationInMinutes (default 60000). The model's
   * minimum session is 1 minute, too slow for tests of session expiry.
   */
  sessionMinuteMs?: number;
}

export interface SeededRoomInfo {
  name: string;
  arn: string;
  region: string;
  tags: Record<string, string>;
}

export interface RunningEmulator {
  /** 'http://127.0.0.1:PORT' */
  endpoint: string;
  /** 'ws://127.0.0.1:PORT' (the chat WebSocket shares the port) */
  chatUrl: string;
  port: number;
  /** Rooms created from the seed file, in file order. */
  seededRooms: SeededRoomInfo[];
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4577;
export const DEFAULT_SEED_PATH = fileURLToPath(new URL('./seed.json', import.meta.url));

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const accountId = opts.accountId ?? '123456789012';
  if (!/^[0-9]{12}$/.test(accountId)) throw new Error('accountId must be 12 digits');
  const credentials = opts.credentials ?? [{ accessKeyId: 'test', secretAccessKey: 'test' }];
  const tokenTtlSeconds = opts.tokenTtlSeconds ?? 3600;
  if (!(tokenTtlSeconds > 0)) throw new Error('tokenTtlSeconds must be positive');
  const faults = (opts.faults ?? []).map(parseFault);

  const store = new Store();
  const seedPath = opts.seed === undefined ? DEFAULT_SEED_PATH : opts.seed;
  const seeded: Room[] = seedPath === false ? [] : applySeed(store, loadSeedFile(seedPath), accountId, Date.now());

  const server = new EmulatorServer({
    store,
    codec: new TokenCodec(),
    credentials,
    accountId,
    quotaEnabled: opts.quota ?? true,
    tokenTtlMs: tokenTtlSeconds * 1000,
    sessionMinuteMs: opts.sessionMinuteMs ?? 60_000,
    log: opts.log,
  });
  for (const f of faults) server.addFault(f);
  const port = await server.listen(opts.port ?? DEFAULT_PORT, host);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${hostForUrl}:${port}`,
    chatUrl: `ws://${hostForUrl}:${port}`,
    port,
    seededRooms: seeded.map((r) => ({ name: r.name, arn: r.arn, region: r.region, tags: { ...r.tags } })),
    close: () => server.close(),
  };
}
