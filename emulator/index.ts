import { fileURLToPath } from 'node:url';
import { Accounts, type RoleConfig } from './accounts';
import { parseFault } from './control';
import { parseQuotaRule, Quotas, type QuotaRule, type QuotaRuleInput } from './quotas';
import { EmulatorServer } from './server';
import { applySeed, loadSeedFile, parseSeedAccount, Store, type Room, type SeedAccount } from './state';
import { TokenCodec } from './tokens';

export type { SeedFile, SeedRoom, SeedLoggingConfiguration, SeedAccount } from './state';
export type { Fault } from './control';
export type { AccountConfig, AccessKey, RoleConfig } from './accounts';
export type { QuotaRule, QuotaRuleInput } from './quotas';
export { DEFAULT_RATES, FAMILIES } from './quotas';

export interface EmulatorOptions {
  /** Default 4577; 0 picks a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Path to a seed JSON; default emulator/seed.json; false starts with no rooms. */
  seed?: string | false;
  /** Long-term key pairs of the default account; default [{ accessKeyId: 'test', secretAccessKey: 'test' }]. */
  credentials?: { accessKeyId: string; secretAccessKey: string; userName?: string }[];
  /** The default account; default '123456789012'. */
  accountId?: string;
  /**
   * More accounts (or more for the default one, by id): keys, roles, quotas, rooms. Added to the
   * seed file's `accounts`; an entry here replaces the seed's entry with the same id.
   */
  accounts?: SeedAccount[];
  /** Every operation's AWS rate quota, per account and region; default true. */
  quota?: boolean;
  /** Quota overrides applied in order (per account, region, operation or family: on/off and rate). */
  quotaRules?: QuotaRuleInput[];
  /** Length of the quota window; the rate is counted per window (default 1000 ms). */
  quotaWindowMs?: number;
  /**
   * Test hook: milliseconds in one second of AssumeRole's DurationSeconds (default 1000), so
   * credential expiry can be tested without waiting 15 minutes; Expiration reports the real instant.
   */
  stsSecondMs?: number;
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

export interface AccountInfo {
  id: string;
  label: string;
  accessKeyIds: string[];
  roles: RoleConfig[];
  /** Rooms seeded into this account. */
  rooms: SeededRoomInfo[];
}

export interface RunningEmulator {
  /** 'http://127.0.0.1:PORT' */
  endpoint: string;
  /** 'ws://127.0.0.1:PORT' (the chat WebSocket shares the port) */
  chatUrl: string;
  port: number;
  /** Rooms of the default account created from the seed file, in file order. */
  seededRooms: SeededRoomInfo[];
  /** Every account it plays, the default one first. */
  accounts: AccountInfo[];
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
  const quotaWindowMs = opts.quotaWindowMs ?? 1000;
  if (!(Number.isInteger(quotaWindowMs) && quotaWindowMs > 0)) throw new Error('quotaWindowMs must be a positive integer');
  const stsSecondMs = opts.stsSecondMs ?? 1000;
  if (!(stsSecondMs > 0)) throw new Error('stsSecondMs must be positive');

  const store = new Store();
  const seedPath = opts.seed === undefined ? DEFAULT_SEED_PATH : opts.seed;
  const seed = seedPath === false ? undefined : loadSeedFile(seedPath);
  const now = Date.now();
  const seeded: Room[] = seed ? applySeed(store, seed, accountId, now) : [];

  const extra = new Map<string, SeedAccount>();
  for (const a of seed?.accounts ?? []) extra.set(a.id, a);
  (opts.accounts ?? []).forEach((a, i) => extra.set(a.id, parseSeedAccount(a, `accounts[${i}]`)));
  const accounts = new Accounts(accountId, [{ id: accountId, accessKeys: credentials }, ...extra.values()]);
  const roomsByAccount = new Map<string, Room[]>([[accountId, seeded]]);
  const quotaRules: QuotaRule[] = [];
  for (const a of extra.values()) {
    const rooms = applySeed(store, { rooms: a.rooms ?? [], loggingConfigurations: a.loggingConfigurations }, a.id, now);
    roomsByAccount.set(a.id, [...(roomsByAccount.get(a.id) ?? []), ...rooms]);
    for (const q of a.quotas ?? []) quotaRules.push({ ...q, account: a.id });
  }
  quotaRules.push(...(opts.quotaRules ?? []).map((r, i) => parseQuotaRule(r, `quotaRules[${i}]`)));

  const server = new EmulatorServer({
    store,
    codec: new TokenCodec(),
    accounts,
    quotas: new Quotas(opts.quota ?? true, quotaRules, quotaWindowMs),
    tokenTtlMs: tokenTtlSeconds * 1000,
    sessionMinuteMs: opts.sessionMinuteMs ?? 60_000,
    stsSecondMs,
    host,
    log: opts.log,
  });
  for (const f of faults) server.addFault(f);
  const port = await server.listen(opts.port ?? DEFAULT_PORT, host);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${hostForUrl}:${port}`,
    chatUrl: `ws://${hostForUrl}:${port}`,
    port,
    seededRooms: seeded.map(roomInfo),
    accounts: accounts.list().map((a) => ({ ...a, rooms: (roomsByAccount.get(a.id) ?? []).map(roomInfo) })),
    close: () => server.close(),
  };
}

function roomInfo(r: Room): SeededRoomInfo {
  return { name: r.name, arn: r.arn, region: r.region, tags: { ...r.tags } };
}
