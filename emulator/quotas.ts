import { operationNames } from './model';
import { isPlainObject } from './validate';

/**
 * API rate quotas from the IVS Chat service-quotas page, per account and region, each operation
 * counted on its own ("Room operations: 5 TPS" is a quota of each room operation).
 */
export const DEFAULT_RATES: Record<string, number> = {
  CreateChatToken: 200,
  DeleteMessage: 100,
  DisconnectUser: 100,
  SendEvent: 100,
  CreateRoom: 5,
  GetRoom: 5,
  ListRooms: 5,
  UpdateRoom: 5,
  DeleteRoom: 5,
  CreateLoggingConfiguration: 3,
  GetLoggingConfiguration: 3,
  ListLoggingConfigurations: 3,
  UpdateLoggingConfiguration: 3,
  DeleteLoggingConfiguration: 3,
  TagResource: 10,
  UntagResource: 10,
  ListTagsForResource: 10,
};

/** Names a rule may use for a group of operations. */
export const FAMILIES: Record<string, string[]> = {
  chatToken: ['CreateChatToken'],
  messaging: ['DeleteMessage', 'DisconnectUser', 'SendEvent'],
  rooms: ['CreateRoom', 'GetRoom', 'ListRooms', 'UpdateRoom', 'DeleteRoom'],
  loggingConfigurations: [
    'CreateLoggingConfiguration',
    'GetLoggingConfiguration',
    'ListLoggingConfigurations',
    'UpdateLoggingConfiguration',
    'DeleteLoggingConfiguration',
  ],
  tags: ['TagResource', 'UntagResource', 'ListTagsForResource'],
};

for (const name of operationNames) if (!(name in DEFAULT_RATES)) throw new Error(`no quota for model operation ${name}`);

/** One override: applies to the calls it matches (unset = any); the last matching rule wins per field. */
export interface QuotaRule {
  account?: string;
  region?: string;
  /** Operation names and/or family names; unset = every operation. */
  operations?: string[];
  enabled?: boolean;
  /** Calls allowed per window (the window is one second unless changed). */
  rate?: number;
}

/** A rule as configured: `operation` is shorthand for a one-element `operations`. */
export type QuotaRuleInput = QuotaRule & { operation?: string };

export function parseQuotaRule(raw: unknown, where = 'quota rule'): QuotaRule {
  if (!isPlainObject(raw)) throw new Error(`${where} must be a JSON object`);
  const allowed = new Set(['account', 'region', 'operation', 'operations', 'enabled', 'rate']);
  for (const k of Object.keys(raw)) if (!allowed.has(k)) throw new Error(`${where}: unknown field ${k}`);
  const rule: QuotaRule = {};
  if (raw.account !== undefined) {
    if (typeof raw.account !== 'string' || !/^[0-9]{12}$/.test(raw.account)) throw new Error(`${where}: account must be 12 digits`);
    rule.account = raw.account;
  }
  if (raw.region !== undefined) {
    if (typeof raw.region !== 'string' || !/^[a-z0-9-]+$/.test(raw.region)) throw new Error(`${where}: region must be a region name`);
    rule.region = raw.region;
  }
  const ops = raw.operations ?? (raw.operation === undefined ? undefined : [raw.operation]);
  if (ops !== undefined) {
    if (!Array.isArray(ops) || ops.length === 0) throw new Error(`${where}: operations must be a non-empty list`);
    const expanded: string[] = [];
    for (const op of ops) {
      if (typeof op === 'string' && FAMILIES[op]) expanded.push(...FAMILIES[op]);
      else if (typeof op === 'string' && op in DEFAULT_RATES) expanded.push(op);
      else
        throw new Error(
          `${where}: unknown operation ${String(op)} (operations: ${operationNames.join(', ')}; families: ${Object.keys(FAMILIES).join(', ')})`,
        );
    }
    rule.operations = [...new Set(expanded)];
  }
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') throw new Error(`${where}: enabled must be true or false`);
    rule.enabled = raw.enabled;
  }
  if (raw.rate !== undefined) {
    if (typeof raw.rate !== 'number' || !Number.isInteger(raw.rate) || raw.rate < 1)
      throw new Error(`${where}: rate must be a positive integer`);
    rule.rate = raw.rate;
  }
  return rule;
}

/** Sliding-window counters keyed by account, region and operation. */
export class Quotas {
  private rules: QuotaRule[];
  private readonly hits = new Map<string, number[]>();

  constructor(
    private enabled: boolean,
    private readonly startRules: QuotaRule[] = [],
    /** Window length; tests shorten or lengthen it, the count allowed per window stays the rate. */
    private windowMs = 1000,
    private readonly startWindowMs = windowMs,
    private readonly startEnabled = enabled,
  ) {
    this.rules = [...startRules];
  }

  /** The window the rate is counted in (ms). */
  get window(): number {
    return this.windowMs;
  }

  effective(account: string, region: string, operation: string): { enabled: boolean; rate: number } {
    let enabled = this.enabled;
    let rate = DEFAULT_RATES[operation];
    for (const r of this.rules) {
      if (r.account !== undefined && r.account !== account) continue;
      if (r.region !== undefined && r.region !== region) continue;
      if (r.operations !== undefined && !r.operations.includes(operation)) continue;
      if (r.enabled !== undefined) enabled = r.enabled;
      if (r.rate !== undefined) rate = r.rate;
    }
    return { enabled, rate };
  }

  /** Records the call and returns the limit it broke, or undefined when it may go ahead. */
  hit(account: string, region: string, operation: string, now: number): number | undefined {
    const { enabled, rate } = this.effective(account, region, operation);
    if (!enabled) return undefined;
    const key = `${account}|${region}|${operation}`;
    const arr = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (arr.length >= rate) {
      this.hits.set(key, arr);
      return rate;
    }
    arr.push(now);
    this.hits.set(key, arr);
    return undefined;
  }

  /** The global switch (POST /_emulator/quota {"enabled": ...}); a global switch also drops per-scope on/off rules. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.rules = this.rules.filter((r) => r.rate !== undefined).map(({ enabled: _e, ...rest }) => rest);
    this.hits.clear();
  }

  addRule(rule: QuotaRule): void {
    this.rules.push(rule);
  }

  setWindow(ms: number): void {
    this.windowMs = ms;
    this.hits.clear();
  }

  clearWindows(): void {
    this.hits.clear();
  }

  /** Back to the start-up configuration. */
  restore(): void {
    this.enabled = this.startEnabled;
    this.rules = [...this.startRules];
    this.windowMs = this.startWindowMs;
    this.hits.clear();
  }

  describe(): Record<string, unknown> {
    return {
      enabled: this.enabled,
      limit: this.effective('', '', 'CreateChatToken').rate,
      windowMs: this.windowMs,
      defaults: { ...DEFAULT_RATES },
      families: FAMILIES,
      rules: this.rules.map((r) => ({ ...r })),
    };
  }
}
