import 'server-only';
import { createServer } from 'node:http';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import type { Registry } from 'prom-client';

/**
 * METRICS_PORT: the metrics on http://127.0.0.1:<port>/metrics, for a Prometheus agent on the same
 * host or pod. Bound to loopback only, so it needs no token; GET /api/metrics (with
 * METRICS_TOKEN) is the way in from elsewhere.
 */
export function startLoopbackMetrics(registry: Registry): void {
  if (!env.METRICS_PORT) return;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text))
      .catch(() => res.writeHead(500).end());
  });
  server.on('error', (err) =>
    log.error({ event: 'metrics.listen_failed', port: env.METRICS_PORT, err: err.message }, 'metrics listener failed'),
  );
  server.listen(env.METRICS_PORT, '127.0.0.1', () =>
    log.info({ event: 'metrics.listening', port: env.METRICS_PORT }, 'metrics on loopback'),
  );
  server.unref();
}
