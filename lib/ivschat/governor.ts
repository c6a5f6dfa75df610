import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import { env } from '@/lib/env';
import { getDatabase, type DatabaseHandle } from '@/lib/db';
import { log } from '@/lib/log';
import { accountById } from './accounts';
import { metrics } from '@/lib/ops/metrics';

/**
 * The one governor for every call the console makes to IVS Chat (DESIGN.md, "Accounts and the
 * shared quota"). AWS limits each operation per account and region (CreateChatToken 200/s,
 * DeleteMessage/DisconnectUser/SendEvent 100/s each, room operations 5/s, logging configurations
 * 3/s, tags 10/s) and the production app's token server spends the same budget, so the console
 * takes only its configured share.
 *
 * Each (account, region, quota) has two lanes: `all`, which every call passes (interactive callers
 * ahead of batch ones) at the whole share, and `batch` (bulk rows, API batches), which a batch call
 * passes first and which is capped below the share by the interactive reserve, so batch work alone
 * never fills the share. A lane spaces its calls GCRA-style (one slot every (1 s + margin) / rate).
 *
 * With PostgreSQL the lanes' next free slot (`tat`) lives in the database and every replica books
 * slots there with one atomic UPDATE, timed in the database's clock, so N replicas together stay
 * within the share; a slot a replica cannot use on time is given up, never used late. With SQLite
 * (one node) the lanes are in process.
 *
 * When AWS throttles anyway (production is busy), the lane's rate is halved (down to a tenth) and
 * the lane pauses for a moment; each throttle-free second gives back a tenth of the share.
 */

export type Priority = 'interactive' | 'batch';

/** AWS's quotas per account and region (IVS Chat service quotas), by the operations that share one. */
export const AWS_QUOTAS = {
  CreateChatToken: 200,
  DeleteMessage: 100,
  DisconnectUser: 100,
  SendEvent: 100,
  rooms: 5,
  logging: 3,
  tags: 10,
} as const;
export type QuotaName = keyof typeof AWS_QUOTAS;

const ROOM_OPS = new Set(['CreateRoom', 'GetRoom', 'ListRooms', 'UpdateRoom', 'DeleteRoom']);
const LOGGING_OPS = new Set([
  'CreateLoggingConfiguration',
  'GetLoggingConfiguration',
  'ListLoggingConfigurations',
  'UpdateLoggingConfiguration',
  'DeleteLoggingConfiguration',
]);
const TAG_OPS = new Set(['TagResource', 'UntagResource', 'ListTagsForResource']);

/** The quota an SDK command (`CreateChatTokenCommand`) or operation name counts against. */
export function quotaOf(commandOrOperation: string): QuotaName {
  const op = commandOrOperation.replace(/Command$/, '');
  if (op in AWS_QUOTAS) return op as QuotaName;
  if (ROOM_OPS.has(op)) return 'rooms';
  if (LOGGING_OPS.has(op)) return 'logging';
  if (TAG_OPS.has(op)) return 'tags';
  return 'rooms';
}

export interface Share {
  /** Calls per second the console may make, both lanes together. */
  total: number;
  interactive: number;
  batch: number;
}

/**
 * The console's share of one quota. CreateChatToken's is IVSCHAT_MINT_RATE_PER_SECOND (or the
 * accounts file's per account and region); the others are IVSCHAT_SHARE_FRACTION of AWS's quota.
 * The interactive lane keeps IVSCHAT_INTERACTIVE_RESERVE of it (at least one call a second).
 */
export function shareOf(quota: QuotaName, mintRate: number = env.IVSCHAT_MINT_RATE_PER_SECOND): Share {
  const aws = AWS_QUOTAS[quota];
  const total = Math.min(aws, quota === 'CreateChatToken' ? mintRate : aws * env.IVSCHAT_SHARE_FRACTION);
  // GCRA admits rate + 1 calls in a sliding second: the whole share stays one under AWS's quota.
  const whole = Math.min(total, aws - 1);
  const interactive = Math.min(whole, Math.max(1, whole * env.IVSCHAT_INTERACTIVE_RESERVE));
  const batch = whole - interactive;
  return { total: whole, interactive, batch: batch > 0 ? batch : Math.min(whole, 1) };
}

/** Slots a store booked: the first one's start in this process's clock, and how far off that may be. */
export interface Booking {
  /** The first slot's start (this process's clock, ms); never earlier than the slot really is. */
  start: number;
  /** How much later than `start` the slot may really have begun (ms): the answer's way back, about half the round trip. */
  lateBy: number;
}

/** Where a lane books its slots: in process, or in the shared database. */
export interface SlotStore {
  /** Books `count` slots `intervalMs` apart, no earlier than now. */
  book(lane: string, count: number, intervalMs: number): Promise<Booking>;
  /** Nothing may start on this lane before now + ms (every replica). */
  pause(lane: string, ms: number): Promise<void>;
}

export class MemorySlotStore implements SlotStore {
  private readonly tat = new Map<string, number>();
  constructor(private readonly clock: () => number = Date.now) {}
  async book(lane: string, count: number, intervalMs: number): Promise<Booking> {
    const start = Math.max(this.tat.get(lane) ?? -Infinity, this.clock());
    this.tat.set(lane, start + count * intervalMs);
    return { start, lateBy: 0 };
  }
  async pause(lane: string, ms: number): Promise<void> {
    this.tat.set(lane, Math.max(this.tat.get(lane) ?? -Infinity, this.clock() + ms));
  }
}

/**
 * Slots booked in PostgreSQL (table ivschat_governor), one UPDATE per booking, in the database's
 * clock alone: the answer says how long after the database's now the first slot starts, and this
 * process waits that long from when the answer arrived. Replicas' clocks never enter into it (they
 * may disagree by more than a slot), and a slow answer makes the slot late, never early; how late
 * (about half the round trip) is returned, so the lane can give up slots it can no longer keep.
 */
export class PostgresSlotStore implements SlotStore {
  constructor(
    private readonly handle: () => Promise<DatabaseHandle>,
    private readonly clock: () => number = Date.now,
  ) {}
  async book(lane: string, count: number, intervalMs: number): Promise<Booking> {
    const { db } = await this.handle();
    const span = count * intervalMs;
    // The round trip is timed on a connection already held, so waiting for the pool is not in it.
    return db.connection().execute(async (conn) => {
      const sentAt = this.clock();
      const { rows } = await sql<{ delay: number }>`
        WITH now_ms AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS v)
        INSERT INTO ivschat_governor (lane, tat) SELECT ${lane}, v + ${span} FROM now_ms
        ON CONFLICT (lane) DO UPDATE SET tat = GREATEST(ivschat_governor.tat, (SELECT v FROM now_ms)) + ${span}
        RETURNING (tat - ${span} - (SELECT v FROM now_ms))::float8 AS delay`.execute(conn);
      const receivedAt = this.clock();
      return { start: receivedAt + Math.max(0, Number(rows[0]!.delay)), lateBy: (receivedAt - sentAt) / 2 };
    });
  }
  async pause(lane: string, ms: number): Promise<void> {
    const { db } = await this.handle();
    await sql`
      WITH now_ms AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS v)
      INSERT INTO ivschat_governor (lane, tat) SELECT ${lane}, v + ${ms} FROM now_ms
      ON CONFLICT (lane) DO UPDATE SET tat = GREATEST(ivschat_governor.tat, (SELECT v FROM now_ms) + ${ms})`.execute(db);
  }
}

/**
 * A log of the last `limit` starts as they really happened. Slots are planned, but a busy event
 * loop (better-sqlite3 is synchronous) wakes sleepers late and bunches them, and the quota counts
 * arrivals in a sliding second; this refuses a start while `limit` others fall within windowMs.
 */
export class SlidingLog {
  private readonly starts: number[] = [];
  private head = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** 0 and recorded when a start at `now` is allowed; otherwise how long to wait (nothing recorded). */
  admit(now: number): number {
    if (this.starts.length < this.limit) {
      this.starts.push(now);
      return 0;
    }
    const wait = this.starts[this.head]! + this.windowMs - now;
    if (wait > 0) return wait;
    this.starts[this.head] = now;
    this.head = (this.head + 1) % this.limit;
    return 0;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  interactive: boolean;
}

/** What the governor has done, per lane, for /api/metrics and the bulk progress. */
export interface LaneStats {
  lane: string;
  account: string;
  region: string;
  quota: QuotaName;
  /** `all`: every call of this quota, interactive first; `batch`: the cap on batch work within it. */
  kind: 'all' | 'batch';
  ratePerSecond: number;
  /** The rate after throttle backoff (ratePerSecond when AWS has not throttled lately). */
  effectiveRatePerSecond: number;
  started: number;
  /** Slots given up because this process could not use them on time (a busy event loop). */
  slotsMissed: number;
  throttled: number;
  waiting: number;
  waitedMsTotal: number;
}

/**
 * GCRA spaces a lane's slots over this much more than a second: a call reaches AWS a little after
 * its slot (the answer from the slot store, a timer that fires late, signing, the network), and
 * those delays differ from call to call, so calls can bunch; AWS counts arrivals in a sliding
 * second. The margin keeps what arrives within the share (40/s plans 38 slots a second).
 */
export const WINDOW_MARGIN_MS = 50;

/**
 * A slot is used only this late (ms); a later one is given up and booked afresh. A slot used late
 * lands on top of the slots other replicas use on time; as late as the margin above, the slots
 * that start in any sliding second are still at most the rate.
 */
export const LATE_SLOT_MS = WINDOW_MARGIN_MS;

/** One lane: a FIFO of callers, slots booked from the store a few at a time. */
class Lane {
  private readonly queue: Waiter[] = [];
  private slots: number[] = [];
  /** How late the current booking's slots may already be (the store's round trip). */
  private slotsLateBy = 0;
  private pumping = false;
  // Real starts in this process, with the same margin for the network (see SlidingLog).
  private readonly starts: SlidingLog;
  multiplier = 1;
  private lastThrottle = 0;
  readonly stats: LaneStats;

  constructor(
    readonly key: string,
    meta: Pick<LaneStats, 'account' | 'region' | 'quota' | 'kind'>,
    readonly rate: number,
    private readonly store: SlotStore,
    private readonly clock: () => number,
  ) {
    this.starts = new SlidingLog(Math.max(1, Math.floor(rate)), 1000 + WINDOW_MARGIN_MS);
    this.stats = {
      lane: key,
      ...meta,
      ratePerSecond: rate,
      effectiveRatePerSecond: rate,
      started: 0,
      slotsMissed: 0,
      throttled: 0,
      waiting: 0,
      waitedMsTotal: 0,
    };
  }

  private recover(now: number): void {
    if (this.multiplier >= 1) return;
    const seconds = Math.floor((now - this.lastThrottle) / 1000);
    if (seconds > 0) {
      this.multiplier = Math.min(1, this.multiplier + 0.1 * seconds);
      this.lastThrottle += seconds * 1000;
    }
    this.stats.effectiveRatePerSecond = this.rate * this.multiplier;
  }

  /** Waits for a slot; an interactive caller goes ahead of every batch caller still waiting. */
  acquire(interactive: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queuedAt = this.clock();
      const waiter: Waiter = {
        resolve: () => {
          this.stats.waitedMsTotal += this.clock() - queuedAt;
          this.stats.started++;
          resolve();
        },
        reject,
        interactive,
      };
      if (interactive) {
        const firstBatch = this.queue.findIndex((w) => !w.interactive);
        this.queue.splice(firstBatch === -1 ? this.queue.length : firstBatch, 0, waiter);
      } else this.queue.push(waiter);
      this.stats.waiting = this.queue.length;
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length) {
        const now = this.clock();
        this.recover(now);
        const interval = (1000 + WINDOW_MARGIN_MS) / (this.rate * this.multiplier);
        if (!this.slots.length) {
          // At most ~100 ms of slots at once, so other replicas' callers are not pushed far back.
          const count = Math.max(1, Math.min(this.queue.length, Math.ceil((this.rate * this.multiplier) / 10)));
          let booking: Booking;
          try {
            booking = await this.store.book(this.key, count, interval);
          } catch (err) {
            // The slot store is the database: fail the callers rather than call AWS unpaced.
            log.error(
              { event: 'governor.book_failed', lane: this.key, err: err instanceof Error ? err.message : String(err) },
              'governor could not book slots',
            );
            for (const w of this.queue.splice(0)) w.reject(err);
            this.stats.waiting = 0;
            return;
          }
          this.slots = Array.from({ length: count }, (_, i) => booking.start + i * interval);
          this.slotsLateBy = booking.lateBy;
        }
        const at = this.slots.shift()!;
        const wait = at - this.clock();
        if (wait > 0) await sleep(wait);
        if (this.clock() - at + this.slotsLateBy > LATE_SLOT_MS) {
          // Too late to keep: using it would bunch this call with other replicas' on-time calls.
          // Every later slot of the booking is as late, so book afresh (behind the ones given up).
          this.stats.slotsMissed += 1 + this.slots.length;
          this.slots = [];
          continue;
        }
        for (let extra = this.starts.admit(this.clock()); extra > 0; extra = this.starts.admit(this.clock())) await sleep(extra);
        const next = this.queue.shift();
        this.stats.waiting = this.queue.length;
        next?.resolve();
      }
    } finally {
      this.pumping = false;
    }
  }

  async throttled(): Promise<void> {
    this.stats.throttled++;
    const now = this.clock();
    this.multiplier = Math.max(0.1, this.multiplier / 2);
    this.lastThrottle = now;
    this.stats.effectiveRatePerSecond = this.rate * this.multiplier;
    // Slots booked at the old pace are dropped; the next booking uses the lower rate.
    this.slots = [];
    await this.store.pause(this.key, 250).catch(() => {});
  }
}

export interface GovernorOptions {
  store?: SlotStore;
  clock?: () => number;
  /** The share per quota; defaults to shareOf() from the configuration. */
  share?: (account: string, region: string, quota: QuotaName) => Share;
}

export class Governor {
  private readonly lanes = new Map<string, Lane>();
  private readonly store: SlotStore;
  private readonly clock: () => number;
  private readonly share: (account: string, region: string, quota: QuotaName) => Share;

  constructor(options: GovernorOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.store = options.store ?? new MemorySlotStore(this.clock);
    this.share = options.share ?? ((account, region, quota) => shareOf(quota, accountById(account)?.config?.mintRatePerSecond[region]));
  }

  private lane(account: string, region: string, quota: QuotaName, kind: 'all' | 'batch'): Lane {
    const key = `${account}|${region}|${quota}|${kind}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      const share = this.share(account, region, quota);
      lane = new Lane(key, { account, region, quota, kind }, kind === 'all' ? share.total : share.batch, this.store, this.clock);
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /**
   * Waits for this call's turn. Every call takes a slot of the whole share (`all`), interactive
   * callers ahead of batch ones; a batch call first takes a slot of the batch cap, so batch work
   * alone never fills the share and an interactive call finds a slot within one interval or two.
   */
  async acquire(account: string, region: string, quota: QuotaName, priority: Priority): Promise<void> {
    if (priority === 'batch') await this.lane(account, region, quota, 'batch').acquire(false);
    await this.lane(account, region, quota, 'all').acquire(priority === 'interactive');
  }

  /** AWS throttled a call: back off (every replica pauses; this one also slows down). */
  async throttled(account: string, region: string, quota: QuotaName, priority: Priority): Promise<void> {
    await this.lane(account, region, quota, 'all').throttled();
    if (priority === 'batch') await this.lane(account, region, quota, 'batch').throttled();
  }

  stats(): LaneStats[] {
    return [...this.lanes.values()].map((l) => ({ ...l.stats }));
  }
}

const priorityContext = new AsyncLocalStorage<Priority>();

/** Runs `fn` with IVS Chat calls made inside it in the batch lane (bulk rows, API batches). */
export function inBatchLane<T>(fn: () => Promise<T>): Promise<T> {
  return priorityContext.run('batch', fn);
}

export function currentPriority(): Priority {
  return priorityContext.getStore() ?? 'interactive';
}

let shared: Governor | undefined;

/** The process's governor: lanes in PostgreSQL when DATABASE_URL is set, else in process. */
export function governor(): Governor {
  if (!shared) {
    const created = new Governor({ store: env.DATABASE_URL ? new PostgresSlotStore(getDatabase) : new MemorySlotStore() });
    metrics().governorStats = () => created.stats();
    shared = created;
  }
  return shared;
}
