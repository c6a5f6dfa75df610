import 'server-only';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { z } from 'zod';
import { env } from '@/lib/env';

/**
 * The AWS accounts the console works in (IVSCHAT_ACCOUNTS_FILE, default config/accounts.json when
 * it exists). A room's ARN names its account, so every call for a room goes to that account's
 * client; listings go to every account and region in the file. Without the file: one account, the
 * credentials of the SDK's default chain (or IVSCHAT_ACCESS_KEY_ID for an endpoint override), and
 * IVSCHAT_REGIONS.
 */
const accountIdSchema = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');

const credentialsSchema = z.discriminatedUnion('source', [
  /** The SDK's default chain (environment, profile, instance or task role), or IVSCHAT_ACCESS_KEY_ID/SECRET. */
  z.strictObject({ source: z.literal('default') }),
  /**
   * A role in this account, assumed with the default credentials through STS. The SDK provider
   * caches the temporary credentials and refreshes them shortly before they expire.
   */
  z.strictObject({
    source: z.literal('assumeRole'),
    roleArn: z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'roleArn is arn:aws:iam::<account>:role/<name>'),
    externalId: z.string().min(2).max(1224).optional(),
    /** RoleSessionName (CloudTrail's view of who called): default ivs-chat-console. */
    sessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/)
      .default('ivs-chat-console'),
    durationSeconds: z.number().int().min(900).max(43_200).default(3_600),
  }),
]);

const accountSchema = z.strictObject({
  id: accountIdSchema,
  /** What people call it: prod, staging, qa. Shown in the room picker; usable in the policy. */
  label: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a label is lower-case letters, digits and dashes, at most 32')
    .optional(),
  regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region looks like us-east-1')).min(1),
  credentials: credentialsSchema.default({ source: 'default' }),
  /** The console's share of CreateChatToken per region here (default IVSCHAT_MINT_RATE_PER_SECOND). */
  mintRatePerSecond: z.record(z.string(), z.number().positive().max(200)).default({}),
});

export const accountsFileSchema = z.strictObject({
  version: z.literal(1),
  accounts: z
    .array(accountSchema)
    .min(1)
    .refine((list) => new Set(list.map((a) => a.id)).size === list.length, 'each account id once')
    .refine((list) => new Set(list.map((a) => a.label).filter(Boolean)).size === list.filter((a) => a.label).length, 'each label once'),
});

export type AccountConfig = z.infer<typeof accountSchema>;

/** One account as the rest of the console sees it. */
export interface Account {
  /** The 12-digit id, or 'default' when there is no accounts file (any account the credentials reach). */
  id: string;
  label: string;
  regions: string[];
  config: AccountConfig | null;
}

export const DEFAULT_ACCOUNT_ID = 'default';

export class AccountsFileError extends Error {
  override name = 'AccountsFileError';
}

export function loadAccountsFile(path: string): Account[] {
  const file = resolve(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AccountsFileError(`Invalid accounts file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = accountsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new AccountsFileError(`Invalid accounts file ${file}:\n${lines.join('\n')}`);
  }
  return parsed.data.accounts.map((a) => ({ id: a.id, label: a.label ?? a.id, regions: a.regions, config: a }));
}

const DEFAULT_FILE = 'config/accounts.json';
let loaded: Account[] | undefined;

/** The configured accounts (read once per process; `npm start` reads it before serving, so a bad file stops it). */
export function accounts(): Account[] {
  if (!loaded) {
    const file = env.IVSCHAT_ACCOUNTS_FILE ?? (existsSync(DEFAULT_FILE) ? DEFAULT_FILE : undefined);
    loaded = file
      ? loadAccountsFile(file)
      : [{ id: DEFAULT_ACCOUNT_ID, label: DEFAULT_ACCOUNT_ID, regions: env.IVSCHAT_REGIONS, config: null }];
  }
  return loaded;
}

const ARN_ACCOUNT = /^arn:aws:ivschat:[a-z0-9-]+:(\d{12}):/;

/**
 * The configured account a room belongs to, by the account id its ARN names; null when an accounts
 * file is in use and names no such account (the console has no credentials there).
 */
export function accountForArn(arn: string): Account | null {
  const list = accounts();
  if (list.length === 1 && list[0]!.id === DEFAULT_ACCOUNT_ID) return list[0]!;
  const id = ARN_ACCOUNT.exec(arn)?.[1];
  return list.find((a) => a.id === id) ?? null;
}

export function accountById(id: string): Account | null {
  return accounts().find((a) => a.id === id) ?? null;
}

/** Resolves an account id or label (policy files may use either) to the id. */
export function resolveAccountRef(ref: string): string | null {
  if (ref === '*') return ref;
  return accounts().find((a) => a.id === ref || a.label === ref)?.id ?? (/^\d{12}$/.test(ref) ? ref : null);
}

/**
 * The credentials provider for an account's clients: the static pair for an endpoint override,
 * else the SDK's default chain (undefined), or a role assumed with those through STS.
 */
export function credentialsFor(account: Account, region: string): AwsCredentialIdentityProvider | undefined {
  const base =
    env.IVSCHAT_ACCESS_KEY_ID && env.IVSCHAT_SECRET_ACCESS_KEY
      ? async () => ({ accessKeyId: env.IVSCHAT_ACCESS_KEY_ID!, secretAccessKey: env.IVSCHAT_SECRET_ACCESS_KEY! })
      : undefined;
  const creds = account.config?.credentials;
  if (!creds || creds.source === 'default') return base;
  return fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: creds.roleArn,
      RoleSessionName: creds.sessionName,
      ExternalId: creds.externalId,
      DurationSeconds: creds.durationSeconds,
    },
    // STS beside the endpoint override (the emulator serves both), else the regional STS endpoint.
    clientConfig: { region, ...(env.IVSCHAT_ENDPOINT ? { endpoint: env.IVSCHAT_ENDPOINT } : {}) },
  });
}
