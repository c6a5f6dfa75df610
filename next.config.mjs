// Server actions accept POSTs only from the console's own origin (Next compares the Origin header
// with the Host; this names the public origin explicitly too, for proxies that rewrite Host).
// Never '*'. The same NEXTAUTH_URL that `npm start` passes to both `next build` and `next start`.
const publicUrl = process.env.NEXTAUTH_URL || `http://localhost:${process.env.PORT || 3000}`;
const allowedOrigins = [new URL(publicUrl).host];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Browser tests build into their own folder, so a test run never rebuilds under a running console.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  // A self-contained Node server (node <distDir>/standalone/server.js): what replicas run.
  output: 'standalone',
  poweredByHeader: false,
  experimental: {
    optimizePackageImports: ['@mantine/core', '@mantine/hooks'],
    serverActions: { bodySizeLimit: '64kb', allowedOrigins },
  },
  // proxy.ts sets the full header set on pages, actions and API routes; build assets get these.
  async headers() {
    return [
      {
        source: '/_next/static/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
  serverExternalPackages: ['better-sqlite3', 'pg', 'pino', 'kysely'],
  // `npm test` type-checks the whole repository (tsc --noEmit) before anything else runs.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
