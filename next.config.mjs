/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Where the console is served from when it is not the default; server actions refuse other origins.
  experimental: {
    optimizePackageImports: ['@mantine/core', '@mantine/hooks'],
    serverActions: { bodySizeLimit: '64kb' },
  },
  serverExternalPackages: ['better-sqlite3', 'pg', 'pino', 'kysely'],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
