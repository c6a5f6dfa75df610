import { getOperation, isErrorShape, operationNames } from './model';
import { isPlainObject } from './validate';

export interface OperationStats {
  received: number;
  succeeded: number;
  failed: number;
}

/** Signed calls of one operation in one account and region, and how many of them were throttled. */
export interface AccountCallStats {
  calls: number;
  throttled: number;
}

/**
 * One access key's calls of one operation: how many, how many were throttled, and the most that
 * arrived within one quota window (a sliding second unless the window was changed), which is what
 * the quota counts. Tests read a caller's real rate here rather than trust the caller's own count.
 */
export interface CallerStats {
  calls: number;
  throttled: number;
  busiestWindow: number;
  /** When the busiest window ended (ms since the epoch). */
  busiestWindowAt: number;
}

export class Stats {
  operations: Record<string, OperationStats> = {};
  /** Keyed by access key id, then by operation (signed calls that passed validation). */
  callers: Record<string, Record<string, CallerStats>> = {};
  private readonly recent = new Map<string, number[]>();
  /** STS actions: AssumeRole, GetCallerIdentity, and `other` for any other Action. */
  sts: Record<string, OperationStats> = {};
  /** Keyed "<account>/<region>", then by operation: calls that passed the signature check and validation. */
  accounts: Record<string, Record<string, AccountCallStats>> = {};
  tokensIssued = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.operations = Object.fromEntries(operationNames.map((n) => [n, { received: 0, succeeded: 0, failed: 0 }]));
    this.sts = { AssumeRole: { received: 0, succeeded: 0, failed: 0 }, GetCallerIdentity: { received: 0, succeeded: 0, failed: 0 } };
    this.accounts = {};
    this.callers = {};
    this.recent.clear();
    this.tokensIssued = 0;
  }

  countCall(account: string, region: string, operation: string, throttled: boolean): void {
    const scope = (this.accounts[`${account}/${region}`] ??= {});
    const c = (scope[operation] ??= { calls: 0, throttled: 0 });
    c.calls += 1;
    if (throttled) c.throttled += 1;
  }

  countCaller(accessKeyId: string, operation: string, throttled: boolean, now: number, windowMs: number): void {
    const scope = (this.callers[accessKeyId] ??= {});
    const c = (scope[operation] ??= { calls: 0, throttled: 0, busiestWindow: 0, busiestWindowAt: 0 });
    c.calls += 1;
    if (throttled) c.throttled += 1;
    const key = `${accessKeyId}|${operation}`;
    let recent = this.recent.get(key);
    if (!recent) this.recent.set(key, (recent = []));
    recent.push(now);
    let drop = 0;
    while (now - recent[drop]! >= windowMs) drop++;
    if (drop) recent.splice(0, drop);
    if (recent.length > c.busiestWindow) {
      c.busiestWindow = recent.length;
      c.busiestWindowAt = now;
    }
  }
}

export interface Fault {
  operation: string;
  count: number;
  error?: string;
  message?: string;
  delayMs?: number;
  hang?: boolean;
  drop?: 'before' | 'after';
}

/** Errors a fault may inject: any error shape in the model, or a bare 500 with no type. */
export function isInjectableError(name: string): boolean {
  return name === 'InternalServerError' || isErrorShape(name);
}

export function parseFault(raw: unknown): Fault {
  if (!isPlainObject(raw)) throw new Error('fault must be a JSON object');
  const { operation, count, error, message, delayMs, hang, drop } = raw;
  if (typeof operation !== 'string' || !operationNames.includes(operation)) {
    throw new Error(`operation must be one of: ${operationNames.join(', ')}`);
  }
  getOperation(operation);
  const fault: Fault = { operation, count: 1 };
  if (count !== undefined) {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new Error('count must be a positive integer');
    fault.count = count;
  }
  if (error !== undefined) {
    if (typeof error !== 'string' || !isInjectableError(error)) {
      throw new Error('error must be an error shape of the model (e.g. ThrottlingException) or "InternalServerError"');
    }
    fault.error = error;
  }
  if (message !== undefined) {
    if (typeof message !== 'string') throw new Error('message must be a string');
    fault.message = message;
  }
  if (delayMs !== undefined) {
    if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) throw new Error('delayMs must be a non-negative number');
    fault.delayMs = delayMs;
  }
  if (hang !== undefined) {
    if (typeof hang !== 'boolean') throw new Error('hang must be a boolean');
    if (hang) fault.hang = true;
  }
  if (drop !== undefined) {
    if (drop !== 'before' && drop !== 'after') throw new Error('drop must be "before" or "after"');
    fault.drop = drop;
  }
  if (!fault.error && fault.delayMs === undefined && !fault.hang && !fault.drop) {
    throw new Error('a fault needs at least one of error, delayMs, hang, drop');
  }
  return fault;
}

export class Faults {
  private list: Fault[] = [];

  add(f: Fault): void {
    this.list.push({ ...f });
  }

  /** Consumes one use of the oldest pending fault for this operation. */
  take(operation: string): Fault | undefined {
    const idx = this.list.findIndex((f) => f.operation === operation && f.count > 0);
    if (idx < 0) return undefined;
    const f = this.list[idx];
    f.count -= 1;
    if (f.count <= 0) this.list.splice(idx, 1);
    return { ...f };
  }

  listAll(): Fault[] {
    return this.list.map((f) => ({ ...f }));
  }

  clear(): void {
    this.list = [];
  }
}

/** Sliding one-second window, per key (account). */
export class RateWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** Room limits can change with UpdateRoom while clients are connected. */
  setLimit(limit: number): void {
    this.limit = limit;
  }

  /** Records a hit and returns false when it would exceed the limit. */
  tryHit(key: string, now: number): boolean {
    const arr = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (arr.length >= this.limit) {
      this.hits.set(key, arr);
      return false;
    }
    arr.push(now);
    this.hits.set(key, arr);
    return true;
  }

  clear(): void {
    this.hits.clear();
  }
}
