/**
 * The environment variables that more than lib/env.ts needs, parsed in one place: proxy.ts (the
 * chat origins for its CSP, whether the public URL is https) and next.config.mjs (the public origin
 * for server actions) cannot load lib/env.ts, whose `server-only` guard and zod belong to the
 * server bundle. Plain JavaScript with no imports, so Node loads it from next.config.mjs as it is;
 * lib/env.ts validates the same variables on top (./env-schema.d.mts has the types).
 */

/** The process environment; read here and in lib/env.ts only (lint enforces it). */
export function readEnvironment() {
  return process.env;
}

/** A comma-separated list, trimmed, without empty entries. */
export function parseList(value) {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What an AWS region name looks like (`us-east-1`); anything else is not a region. */
export const REGION_PATTERN = /^[a-z0-9-]+$/;

/** IVSCHAT_REGIONS: the regions whose rooms the console lists; us-east-1 when unset or empty. */
export function ivschatRegions(source) {
  const regions = parseList(source.IVSCHAT_REGIONS);
  return regions.length ? regions : ['us-east-1'];
}

/**
 * Where the browser opens the chat WebSocket: the endpoint override's ws:// or wss:// origin (the
 * emulator), else each region's wss://edge.ivschat host. An unparsable override gives none (lib/env.ts
 * refuses to start with one).
 */
export function chatSocketOrigins(source) {
  const endpoint = source.IVSCHAT_ENDPOINT;
  if (endpoint) {
    try {
      const url = new URL(endpoint);
      return [`${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`];
    } catch {
      return [];
    }
  }
  return ivschatRegions(source)
    .filter((r) => REGION_PATTERN.test(r))
    .map((r) => `wss://edge.ivschat.${r}.amazonaws.com`);
}

/** The console's public URL: NEXTAUTH_URL, else http://localhost:$PORT (what `npm start` passes to build and start). */
export function publicUrl(source) {
  return source.NEXTAUTH_URL || `http://localhost:${source.PORT || 3000}`;
}

export function isProduction(source) {
  return source.NODE_ENV === 'production';
}
