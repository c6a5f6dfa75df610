/** Next calls register() once when a server process starts (Node runtime only for our parts). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startLoopbackMetrics } = await import('./lib/ops/loopback-metrics');
    startLoopbackMetrics();
  }
}
