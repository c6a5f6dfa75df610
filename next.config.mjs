/** @type {import('next').NextConfig} */
const nextConfig = {
  // Browser tests build into their own folder, so a test run never rebuilds under a running console.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  poweredByHeader: false,
  // Where the console is served from when it is not the default; server actions refuse other origins.
  experimental: {
    optimizePackageImports: ['@mantine/core', '@mantine/hooks'],
    serverActions: { bodySizeLimit: '64kb' },
  },
  serverExternalPackages: ['better-sqlite3', 'pg', 'pino', 'kysely'],
  // `npm test` type-checks the whole repository (tsc --noEmit) before anything else runs.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
