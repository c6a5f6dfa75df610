import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkAccountConfig, type AccountConfig } from './accounts';
import { anchoredPattern, getShape } from './model';
import { parseQuotaRule, type QuotaRuleInput } from './quotas';
import { isPlainObject, validateInput } from './validate';

export interface MessageReviewHandler {
  uri: string;
  fallbackResult: 'ALLOW' | 'DENY';
}

export interface Room {
  kind: 'room';
  arn: string;
  id: string;
  account: string;
  region: string;
  name: string;
  createTime: number;
  updateTime: number;
  /** Tie-breaker for equal updateTime so ListRooms order is stable. */
  seq: number;
  maximumMessageLength: number;
  maximumMessageRatePerSecond: number;
  messageReviewHandler?: MessageReviewHandler;
  tags: Record<string, string>;
  loggingConfigurationIdentifiers: string[];
}

export type DestinationConfiguration =
  { s3: { bucketName: string } } | { cloudWatchLogs: { logGroupName: string } } | { firehose: { deliveryStreamName: string } };

export interface LoggingConfiguration {
  kind: 'logging-configuration';
  arn: string;
  id: string;
  account: string;
  region: string;
  name: string;
  createTime: number;
  updateTime: number;
  seq: number;
  destinationConfiguration: DestinationConfiguration;
  state: 'ACTIVE';
  tags: Record<string, string>;
}

export type Resource = Room | LoggingConfiguration;

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 12 alphanumerics: the form of room, logging-configuration, message and event ids. */
export function randomId(length = 12): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[randomInt(ALNUM.length)];
  return s;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface ParsedArn {
  region: string;
  account: string;
  resourceType: string;
  id: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:aws:ivschat:([a-z0-9-]+):([0-9]+):([a-z-]+)\/([a-zA-Z0-9-]+)$/.exec(arn);
  return m ? { region: m[1], account: m[2], resourceType: m[3], id: m[4] } : undefined;
}

export class Store {
  private readonly resources = new Map<string, Resource>();
  private seqCounter = 0;

  nextSeq(): number {
    return ++this.seqCounter;
  }

  /** Looks up by ARN, scoped to the caller's account and signing region as AWS does. */
  get(arn: string, account: string, region: string): Resource | undefined {
    const r = this.resources.get(arn);
    return r && r.account === account && r.region === region ? r : undefined;
  }

  getRoomByArn(arn: string): Room | undefined {
    const r = this.resources.get(arn);
    return r?.kind === 'room' ? r : undefined;
  }

  put(r: Resource): void {
    this.resources.set(r.arn, r);
  }

  delete(arn: string): void {
    this.resources.delete(arn);
  }

  rooms(account: string, region: string): Room[] {
    return [...this.resources.values()].filter((r): r is Room => r.kind === 'room' && r.account === account && r.region === region);
  }

  loggingConfigurations(account: string, region: string): LoggingConfiguration[] {
    return [...this.resources.values()].filter(
      (r): r is LoggingConfiguration => r.kind === 'logging-configuration' && r.account === account && r.region === region,
    );
  }

  allRooms(): Room[] {
    return [...this.resources.values()].filter((r): r is Room => r.kind === 'room');
  }
}

export function roomArn(region: string, account: string, id: string): string {
  return `arn:aws:ivschat:${region}:${account}:room/${id}`;
}

export function loggingConfigurationArn(region: string, account: string, id: string): string {
  return `arn:aws:ivschat:${region}:${account}:logging-configuration/${id}`;
}

// ---- seed -------------------------------------------------------------------------------------

export interface SeedLoggingConfiguration {
  id: string;
  region: string;
  name?: string;
  destinationConfiguration: DestinationConfiguration;
  tags?: Record<string, string>;
}

export interface SeedRoom {
  id: string;
  region: string;
  name?: string;
  maximumMessageLength?: number;
  maximumMessageRatePerSecond?: number;
  messageReviewHandler?: { uri?: string; fallbackResult?: 'ALLOW' | 'DENY' };
  tags?: Record<string, string>;
  /** Ids of seeded logging configurations in the same region. */
  loggingConfigurationIds?: string[];
}

/** Another account the emulator plays (or more configuration for the default one, by its id). */
export interface SeedAccount extends AccountConfig {
  rooms?: SeedRoom[];
  loggingConfigurations?: SeedLoggingConfiguration[];
  /** Quota overrides of this account, e.g. {"region": "us-east-1", "operation": "CreateChatToken", "rate": 50}. */
  quotas?: Omit<QuotaRuleInput, 'account'>[];
}

export interface SeedFile {
  /** Rooms and logging configurations of the default account. */
  rooms: SeedRoom[];
  loggingConfigurations?: SeedLoggingConfiguration[];
  accounts?: SeedAccount[];
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;

function checkSeedId(id: unknown, where: string): string {
  const pattern = getShape('RoomID').pattern ?? '[a-zA-Z0-9]+';
  if (typeof id !== 'string' || id.length !== 12 || !anchoredPattern(pattern).test(id)) {
    throw new Error(`${where}.id must be 12 alphanumerics`);
  }
  return id;
}

/** Parses and checks a seed file with the same model constraints CreateRoom applies. */
export function parseSeed(raw: unknown): SeedFile {
  if (!isPlainObject(raw) || !Array.isArray(raw.rooms)) throw new Error('seed: expected {"rooms": [...]}');
  const { rooms, loggingConfigurations } = parseResources(raw, 'seed: ');
  const accountsRaw = raw.accounts ?? [];
  if (!Array.isArray(accountsRaw)) throw new Error('seed: accounts must be a list');
  return {
    rooms,
    loggingConfigurations,
    accounts: accountsRaw.map((a: unknown, i: number) => parseSeedAccount(a, `seed: accounts[${i}]`)),
  };
}

/** One account's keys, roles, quotas, rooms and logging configurations (the seed's `accounts` entries, the --account flag). */
export function parseSeedAccount(raw: unknown, where: string): SeedAccount {
  const account = checkAccountConfig(raw, where) as SeedAccount;
  const r = raw as Record<string, unknown>;
  const { rooms, loggingConfigurations } = parseResources(
    { rooms: r.rooms ?? [], loggingConfigurations: r.loggingConfigurations },
    `${where}.`,
  );
  const quotas = r.quotas ?? [];
  if (!Array.isArray(quotas)) throw new Error(`${where}.quotas must be a list`);
  return {
    ...account,
    rooms,
    loggingConfigurations,
    quotas: quotas.map((q: unknown, i: number) => {
      if (isPlainObject(q) && 'account' in q) throw new Error(`${where}.quotas[${i}]: the account is the enclosing one`);
      return parseQuotaRule(q, `${where}.quotas[${i}]`);
    }),
  };
}

function parseResources(
  raw: Record<string, unknown>,
  at: string,
): { rooms: SeedRoom[]; loggingConfigurations: SeedLoggingConfiguration[] } {
  if (!Array.isArray(raw.rooms)) throw new Error(`${at}rooms must be a list`);
  const logging = raw.loggingConfigurations ?? [];
  if (!Array.isArray(logging)) throw new Error(`${at}loggingConfigurations must be a list`);
  const loggingOut: SeedLoggingConfiguration[] = logging.map((lc: unknown, i: number) => {
    if (!isPlainObject(lc)) throw new Error(`${at}loggingConfigurations[${i}] must be an object`);
    checkSeedId(lc.id, `${at}loggingConfigurations[${i}]`);
    if (typeof lc.region !== 'string' || !REGION_RE.test(lc.region)) throw new Error(`${at}loggingConfigurations[${i}].region invalid`);
    const { id: _id, region: _region, ...rest } = lc;
    const errors = validateInput('CreateLoggingConfiguration', rest);
    if (errors.length) throw new Error(`${at}loggingConfigurations[${i}]: ${errors.map((e) => `${e.name}: ${e.message}`).join('; ')}`);
    return lc as unknown as SeedLoggingConfiguration;
  });
  const rooms: SeedRoom[] = raw.rooms.map((room: unknown, i: number) => {
    if (!isPlainObject(room)) throw new Error(`${at}rooms[${i}] must be an object`);
    checkSeedId(room.id, `${at}rooms[${i}]`);
    if (typeof room.region !== 'string' || !REGION_RE.test(room.region)) throw new Error(`${at}rooms[${i}].region invalid`);
    const { id: _id, region: _region, loggingConfigurationIds, ...rest } = room;
    if (
      loggingConfigurationIds !== undefined &&
      (!Array.isArray(loggingConfigurationIds) || !loggingConfigurationIds.every((x) => typeof x === 'string'))
    ) {
      throw new Error(`${at}rooms[${i}].loggingConfigurationIds must be a list of ids`);
    }
    const errors = validateInput('CreateRoom', rest);
    if (errors.length) throw new Error(`${at}rooms[${i}]: ${errors.map((e) => `${e.name}: ${e.message}`).join('; ')}`);
    return room as unknown as SeedRoom;
  });
  return { rooms, loggingConfigurations: loggingOut };
}

export function loadSeedFile(path: string): SeedFile {
  return parseSeed(JSON.parse(readFileSync(path, 'utf8')));
}

export function applySeed(
  store: Store,
  seed: { rooms: SeedRoom[]; loggingConfigurations?: SeedLoggingConfiguration[] },
  account: string,
  now: number,
): Room[] {
  for (const lc of seed.loggingConfigurations ?? []) {
    store.put({
      kind: 'logging-configuration',
      arn: loggingConfigurationArn(lc.region, account, lc.id),
      id: lc.id,
      account,
      region: lc.region,
      name: lc.name ?? '',
      createTime: now,
      updateTime: now,
      seq: store.nextSeq(),
      destinationConfiguration: lc.destinationConfiguration,
      state: 'ACTIVE',
      tags: { ...(lc.tags ?? {}) },
    });
  }
  const out: Room[] = [];
  for (const r of seed.rooms) {
    const lcArns = (r.loggingConfigurationIds ?? []).map((id) => {
      const arn = loggingConfigurationArn(r.region, account, id);
      if (!store.get(arn, account, r.region)) throw new Error(`seed: room ${r.id} references unknown logging configuration ${id}`);
      return arn;
    });
    const room: Room = {
      kind: 'room',
      arn: roomArn(r.region, account, r.id),
      id: r.id,
      account,
      region: r.region,
      name: r.name ?? '',
      createTime: now,
      updateTime: now,
      seq: store.nextSeq(),
      maximumMessageLength: r.maximumMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
      maximumMessageRatePerSecond: r.maximumMessageRatePerSecond ?? DEFAULT_MAX_MESSAGE_RATE,
      messageReviewHandler: normalizeHandler(r.messageReviewHandler),
      tags: { ...(r.tags ?? {}) },
      loggingConfigurationIdentifiers: lcArns,
    };
    store.put(room);
    out.push(room);
  }
  return out;
}

/** Documented defaults (GetRoom docs: "Default: 500" / "Default: 10"; fallbackResult "Default: ALLOW"). */
export const DEFAULT_MAX_MESSAGE_LENGTH = 500;
export const DEFAULT_MAX_MESSAGE_RATE = 10;

export function normalizeHandler(h: { uri?: string; fallbackResult?: 'ALLOW' | 'DENY' } | undefined): MessageReviewHandler | undefined {
  if (!h || !h.uri) return undefined;
  return { uri: h.uri, fallbackResult: h.fallbackResult ?? 'ALLOW' };
}
