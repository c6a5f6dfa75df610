import 'server-only';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LaneStats } from '@/lib/ivschat/governor';
import { startLoopbackMetrics } from './loopback-metrics';

/**
 * Prometheus metrics (GET /api/metrics with the bearer token, or the loopback listener). One
 * registry per process, kept on globalThis: Next bundles route handlers and instrumentation
 * separately, and each bundle would otherwise count into a registry of its own.
 */
interface ConsoleMetrics {
  registry: Registry;
  mints: Counter<'outcome' | 'via' | 'account' | 'region'>;
  ivschatCalls: Histogram<'operation' | 'account' | 'region' | 'outcome'>;
  ivschatThrottles: Counter<'operation' | 'account' | 'region'>;
  auditWrites: Histogram<'kind'>;
  bulkRows: Counter<'status'>;
  governorStats?: () => LaneStats[];
}

const globalState = globalThis as typeof globalThis & { __ivsConsoleMetrics?: ConsoleMetrics };

function create(): ConsoleMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ivs_console_process_' });
  const metrics: ConsoleMetrics = {
    registry,
    mints: new Counter({
      name: 'ivs_console_mints_total',
      help: 'Mint attempts by outcome (issued, failed, refused, rate_limited, outcome_unknown, invalid, audit_unavailable), path (ui, api, bulk), account and region.',
      labelNames: ['outcome', 'via', 'account', 'region'],
      registers: [registry],
    }),
    ivschatCalls: new Histogram({
      name: 'ivs_console_ivschat_call_seconds',
      help: 'IVS Chat call latency per attempt (after the governor let it start), by operation, account, region and outcome.',
      labelNames: ['operation', 'account', 'region', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    ivschatThrottles: new Counter({
      name: 'ivs_console_ivschat_throttles_total',
      help: 'ThrottlingException answers from IVS Chat (the account is busier than the console alone), by operation, account and region.',
      labelNames: ['operation', 'account', 'region'],
      registers: [registry],
    }),
    auditWrites: new Histogram({
      name: 'ivs_console_audit_write_seconds',
      help: 'Audit log write latency (request, completion, action).',
      labelNames: ['kind'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    bulkRows: new Counter({
      name: 'ivs_console_bulk_rows_total',
      help: 'Bulk rows finished, by status.',
      labelNames: ['status'],
      registers: [registry],
    }),
  };
  const laneLabels = ['account', 'region', 'quota', 'lane'] as const;
  const lanes = () => metrics.governorStats?.() ?? [];
  new Gauge({
    name: 'ivs_console_governor_share_per_second',
    help: "The console's share of an IVS Chat quota per lane (calls per second).",
    labelNames: laneLabels,
    registers: [registry],
    collect() {
      for (const l of lanes()) this.set({ account: l.account, region: l.region, quota: l.quota, lane: l.kind }, l.ratePerSecond);
    },
  });
  new Gauge({
    name: 'ivs_console_governor_effective_per_second',
    help: 'The lane rate after backing off from throttles (equal to the share when AWS has not throttled lately).',
    labelNames: laneLabels,
    registers: [registry],
    collect() {
      for (const l of lanes()) this.set({ account: l.account, region: l.region, quota: l.quota, lane: l.kind }, l.effectiveRatePerSecond);
    },
  });
  new Gauge({
    name: 'ivs_console_governor_waiting',
    help: 'Calls waiting for their turn per lane.',
    labelNames: laneLabels,
    registers: [registry],
    collect() {
      for (const l of lanes()) this.set({ account: l.account, region: l.region, quota: l.quota, lane: l.kind }, l.waiting);
    },
  });
  new Gauge({
    name: 'ivs_console_governor_started',
    help: 'Calls the governor has let start per lane since the process started.',
    labelNames: laneLabels,
    registers: [registry],
    collect() {
      for (const l of lanes()) this.set({ account: l.account, region: l.region, quota: l.quota, lane: l.kind }, l.started);
    },
  });
  new Gauge({
    name: 'ivs_console_governor_slots_missed',
    help: 'Slots given up because this process could not start the call on time (a busy event loop); they are booked again.',
    labelNames: laneLabels,
    registers: [registry],
    collect() {
      for (const l of lanes()) this.set({ account: l.account, region: l.region, quota: l.quota, lane: l.kind }, l.slotsMissed);
    },
  });
  return metrics;
}

export function metrics(): ConsoleMetrics {
  if (!globalState.__ivsConsoleMetrics) {
    globalState.__ivsConsoleMetrics = create();
    // METRICS_PORT's loopback listener starts with the registry: at the process's first counted work.
    startLoopbackMetrics(globalState.__ivsConsoleMetrics.registry);
  }
  return globalState.__ivsConsoleMetrics;
}
