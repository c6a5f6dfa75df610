import 'server-only';
import { z } from 'zod';
import { ivschatRegions, parseList, REGION_PATTERN } from '@/lib/env-schema.mjs';

/** A comma-separated list (empty items dropped). */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean),
);

/**
 * The only reader of process.env. Parsed once; a bad value fails at start with the variable's name.
 */

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Where the console keeps its SQLite file when DATABASE_URL is not set. */
  CONSOLE_DATA_DIR: z.string().min(1).default('.data'),
  /**
   * How long a SQLite write waits for another connection's lock before failing (and the mint
   * failing closed). Unset: 5000 ms (lib/db).
   */
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  /** PostgreSQL connection string; when set, PostgreSQL replaces the SQLite file. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * PostgreSQL: the owner's connection string, used only to apply migrations and grant the
   * DATABASE_URL role what it needs (on the audit log: SELECT and INSERT, never UPDATE or DELETE).
   * Unset: DATABASE_URL's role migrates and owns the tables (the triggers still refuse edits).
   */
  DATABASE_MIGRATION_URL: z.string().url().optional(),
  /** IVS Chat endpoint override (the emulator, or any compatible endpoint). Unset: real AWS. */
  IVSCHAT_ENDPOINT: z.string().url().optional(),
  /** Regions whose rooms the console lists (the list proxy.ts puts in its CSP, parsed by the same function). */
  IVSCHAT_REGIONS: z
    .string()
    .optional()
    .transform((value) => ivschatRegions({ IVSCHAT_REGIONS: value }))
    .refine((regions) => regions.every((r) => REGION_PATTERN.test(r)), 'each region is a name such as us-east-1, comma-separated'),
  /** Credentials for the endpoint override; real AWS uses the SDK's default credential chain. */
  IVSCHAT_ACCESS_KEY_ID: z.string().optional(),
  IVSCHAT_SECRET_ACCESS_KEY: z.string().optional(),
  /**
   * The console's share of CreateChatToken's quota (200/s per account and region, shared with the
   * production app's token server). Unset: 196/s against a local endpoint (the emulator), 50/s on AWS.
   */
  IVSCHAT_MINT_RATE_PER_SECOND: z.coerce.number().positive().max(200).optional(),
  /** The console's share of every other IVS Chat quota, as a fraction. Unset: 0.95 locally, 0.5 on AWS. */
  IVSCHAT_SHARE_FRACTION: z.coerce.number().positive().max(1).optional(),
  /** The part of each share only interactive calls (form, connect-here, moderation) may use. */
  IVSCHAT_INTERACTIVE_RESERVE: z.coerce.number().min(0).max(0.5).default(0.05),
  /** The accounts file (lib/ivschat/accounts.ts); unset: one account, IVSCHAT_REGIONS, the default credentials. */
  IVSCHAT_ACCOUNTS_FILE: z.string().min(1).optional(),
  IVSCHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  IVSCHAT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  NEXTAUTH_SECRET: z.string().min(1).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  /** HMAC key for token fingerprints in the audit log. */
  FINGERPRINT_KEY: z.string().min(1).optional(),
  /** Earlier FINGERPRINT_KEYs, comma-separated, so tokens fingerprinted under them are still found. */
  FINGERPRINT_PREVIOUS_KEYS: csv.default([]),
  /** HMAC key of the audit log's hash chain and its checkpoints; never stored in the database. */
  AUDIT_CHAIN_KEY: z.string().min(1).optional(),
  /** Earlier AUDIT_CHAIN_KEYs, comma-separated: the log's older segments verify under them. */
  AUDIT_CHAIN_PREVIOUS_KEYS: csv.default([]),
  /**
   * JSON-lines file the chain head is checkpointed to (outside the database). Unset:
   * CONSOLE_DATA_DIR/audit-checkpoints.jsonl, except under NODE_ENV=test (no automatic checkpoints).
   */
  AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
  /** A checkpoint after this many entries written by one process... */
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).default(1000),
  /** ...or on the first write after this many seconds since its last checkpoint. */
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Failed sign-ins a client address may make before each further one locks it (lib/auth/sign-in-throttle.ts). */
  SIGN_IN_CLIENT_FREE_ATTEMPTS: z.coerce.number().int().min(1).max(100_000).default(20),
  /** How long an unused session lasts; each use renews it, within SESSION_LIFETIME_SECONDS. */
  SESSION_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 60 * 60),
  /** The absolute lifetime of a session from sign-in; no renewal extends it. */
  SESSION_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(12 * 60 * 60),
  /**
   * How many reverse proxies stand in front of the console. 0: the client address is the
   * socket's and X-Forwarded-For is ignored; n: the X-Forwarded-For entry n hops from the socket.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * Origins besides NEXTAUTH_URL's from which browsers may post server actions (another public
   * name, a proxy): comma-separated `https://host[:port]`.
   */
  CONSOLE_ORIGINS: z
    .string()
    .default('')
    .transform((v) => parseList(v)),
  /** How long a staff record read for a request is reused (lib/auth/session.ts); 0 reads it every time. */
  STAFF_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default('Single sign-on'),
  /** The mint policy (roles, capabilities, durations, rooms, rate limits); validated at start. */
  POLICY_FILE: z.string().min(1).default('config/policy.json'),
  /** Bearer token for GET /api/metrics; unset: /api/metrics answers 404 (use METRICS_PORT). */
  METRICS_TOKEN: z.string().min(32, 'METRICS_TOKEN must be at least 32 characters').optional(),
  /** Serve Prometheus metrics on http://127.0.0.1:<port>/metrics too (loopback only, no token). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Access requests and decisions are POSTed here as JSON (lib/approvals/webhook.ts); unset: no webhook. */
  APPROVALS_WEBHOOK_URL: z.string().url().optional(),
  /** HMAC-SHA256 key of the webhook's X-Console-Signature header (required with the URL). */
  APPROVALS_WEBHOOK_SECRET: z.string().min(16, 'APPROVALS_WEBHOOK_SECRET must be at least 16 characters').optional(),
  /** `json` (the console's event) or `slack` (a Slack incoming-webhook body with the same facts). */
  APPROVALS_WEBHOOK_FORMAT: z.enum(['json', 'slack']).default('json'),
  /** How often each replica sweeps approval windows (expiry, end of window, disconnect); also once at start. */
  APPROVALS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(15_000),
});

export type Env = Omit<z.infer<typeof envSchema>, 'IVSCHAT_MINT_RATE_PER_SECOND' | 'IVSCHAT_SHARE_FRACTION'> & {
  IVSCHAT_MINT_RATE_PER_SECOND: number;
  IVSCHAT_SHARE_FRACTION: number;
};

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid console configuration:\n${lines.join('\n')}`);
  }
  const local = isLoopbackUrl(parsed.data.IVSCHAT_ENDPOINT);
  const env: Env = {
    ...parsed.data,
    IVSCHAT_MINT_RATE_PER_SECOND: parsed.data.IVSCHAT_MINT_RATE_PER_SECOND ?? (local ? 196 : 50),
    IVSCHAT_SHARE_FRACTION: parsed.data.IVSCHAT_SHARE_FRACTION ?? (local ? 0.95 : 0.5),
  };
  // A local endpoint (the emulator) with no credentials gets the emulator's test pair, as the
  // embedded one does; the SDK's default chain would otherwise fail every call.
  if (local && !env.IVSCHAT_ACCESS_KEY_ID && !env.IVSCHAT_SECRET_ACCESS_KEY) {
    env.IVSCHAT_ACCESS_KEY_ID = 'test';
    env.IVSCHAT_SECRET_ACCESS_KEY = 'test';
  }
  // `next build` evaluates modules with NODE_ENV=production but without runtime secrets.
  const building = source.NEXT_PHASE === 'phase-production-build';
  if (env.NODE_ENV === 'production' && !building) {
    const weak: string[] = [];
    if (!env.NEXTAUTH_SECRET || env.NEXTAUTH_SECRET.length < 32) weak.push('NEXTAUTH_SECRET (at least 32 characters)');
    if (!env.FINGERPRINT_KEY || env.FINGERPRINT_KEY.length < 32) weak.push('FINGERPRINT_KEY (at least 32 characters)');
    if (!env.AUDIT_CHAIN_KEY || env.AUDIT_CHAIN_KEY.length < 32) weak.push('AUDIT_CHAIN_KEY (at least 32 characters)');
    if (weak.length) throw new Error(`Invalid console configuration: production needs ${weak.join(' and ')}`);
  }
  if (env.APPROVALS_WEBHOOK_URL && !env.APPROVALS_WEBHOOK_SECRET) {
    throw new Error(
      'Invalid console configuration:\n  APPROVALS_WEBHOOK_SECRET: required with APPROVALS_WEBHOOK_URL (receivers check the signature)',
    );
  }
  return env;
}

function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

export const env: Readonly<Env> = Object.freeze(parseEnv(process.env));
