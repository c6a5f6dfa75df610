/** Next calls register() once when a server process starts (Node runtime only for our parts). */
export async function register(): Promise<void> {
  // Next's own marker of the runtime, read before anything Node-only is imported (lib/env.ts is one of those).
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startLoopbackMetrics } = await import('./lib/ops/loopback-metrics');
    startLoopbackMetrics();
  }
}
