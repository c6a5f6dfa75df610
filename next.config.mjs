import { publicUrl as publicUrlOf, readEnvironment } from './lib/env-schema.mjs';

// Server actions accept POSTs only from the console's own origin (Next compares the Origin header
// with the Host; this names the public origin explicitly too, for proxies that rewrite Host).
// Never '*'. The same NEXTAUTH_URL that `npm start` passes to both `next build` and `next start`.
const source = readEnvironment();
const publicUrl = publicUrlOf(source);
const allowedOrigins = [new URL(publicUrl).host];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Browser tests build into their own folder, so a test run never rebuilds under a running console.
  distDir: source.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  // A self-contained Node server (node <distDir>/standalone/server.js): what replicas run.
  output: 'standalone',
  poweredByHeader: false,
  experimental: {
    optimizePackageImports: ['@mantine/core', '@mantine/hooks'],
    serverActions: { bodySizeLimit: '64kb', allowedOrigins },
  },
  // proxy.ts sets the full header set (with a per-request CSP nonce) on pages and actions. The
  // JSON API needs no nonce, so it skips the proxy (a measurable share of each mint's time; see
  // bench/) and gets a fixed header set here instead; build assets get theirs too. The bulk routes
  // skip it as well: Next clones a proxied request's body and silently truncates it at 10 MB
  // (proxyClientMaxBodySize), and a bulk CSV may be larger; its route counts the bytes itself.
  async headers() {
    return [
      {
        source: '/_next/static/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
      ...['/api/v1/:path*', '/api/bulk/:path*'].map((source) => ({
        source,
        headers: [
          { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          ...(publicUrl.startsWith('https://') ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }] : []),
        ],
      })),
    ];
  },
  serverExternalPackages: ['better-sqlite3', 'pg', 'pino', 'kysely'],
  // `npm test` type-checks the whole repository (tsc --noEmit) before anything else runs.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
