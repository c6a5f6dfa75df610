import { createHash, randomBytes, randomInt } from 'node:crypto';
import { isPlainObject } from './validate';

/** A long-term access key (an IAM user's key) of one account. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** IAM user name in GetCallerIdentity's ARN; default "emulator". */
  userName?: string;
}

/** An IAM role that callers may assume through STS AssumeRole. */
export interface RoleConfig {
  /** `arn:aws:iam::<this account>:role/<path/>name` */
  arn: string;
  /** When set, AssumeRole must send exactly this ExternalId (the trust policy's sts:ExternalId condition). */
  externalId?: string;
  /**
   * Who may assume it: 12-digit account ids (any principal of that account), IAM user ARNs,
   * role ARNs (sessions of that role), or "*". Default: the emulator's default account.
   */
  trustedPrincipals?: string[];
  /** The role's MaxSessionDuration, 3600..43200; default 3600. */
  maxSessionDuration?: number;
}

export interface AccountConfig {
  /** 12 digits */
  id: string;
  /** A human name (prod, staging, qa); shown in the start banner. */
  label?: string;
  accessKeys?: AccessKey[];
  roles?: RoleConfig[];
}

export interface Account {
  id: string;
  label: string;
  roles: RoleConfig[];
}

/** Who signed a request, after the signature and any session token were checked. */
export interface Principal {
  account: string;
  accessKeyId: string;
  /** GetCallerIdentity's Arn */
  arn: string;
  /** GetCallerIdentity's UserId */
  userId: string;
  /** Set for assumed-role sessions. */
  session?: TemporarySession;
}

export interface TemporarySession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  account: string;
  roleArn: string;
  assumedRoleArn: string;
  assumedRoleId: string;
  sessionName: string;
  sourceIdentity?: string;
  expiresAt: number;
}

const ROLE_ARN_RE = /^arn:aws:iam::([0-9]{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,64})$/;

export function parseRoleArn(arn: string): { account: string; name: string } | undefined {
  const m = ROLE_ARN_RE.exec(arn);
  return m ? { account: m[1], name: m[2] } : undefined;
}

/** IAM unique ids look like AIDA/AROA + 17 characters; derived from the ARN so they are stable across restarts. */
function uniqueId(prefix: string, of: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const hash = createHash('sha256').update(of).digest();
  let out = prefix;
  for (let i = 0; i < 17; i++) out += alphabet[hash[i] % alphabet.length];
  return out;
}

function randomAccessKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = 'ASIA';
  for (let i = 0; i < 16; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function checkAccountConfig(raw: unknown, where: string): AccountConfig {
  if (!isPlainObject(raw)) throw new Error(`${where} must be an object`);
  const { id, label, accessKeys, roles } = raw;
  if (typeof id !== 'string' || !/^[0-9]{12}$/.test(id)) throw new Error(`${where}.id must be 12 digits`);
  if (label !== undefined && typeof label !== 'string') throw new Error(`${where}.label must be a string`);
  const keys = accessKeys ?? [];
  if (!Array.isArray(keys)) throw new Error(`${where}.accessKeys must be a list`);
  keys.forEach((k: unknown, i: number) => {
    if (
      !isPlainObject(k) ||
      typeof k.accessKeyId !== 'string' ||
      typeof k.secretAccessKey !== 'string' ||
      !k.accessKeyId ||
      !k.secretAccessKey
    ) {
      throw new Error(`${where}.accessKeys[${i}] must be {"accessKeyId": "...", "secretAccessKey": "..."}`);
    }
    if (k.accessKeyId.startsWith('ASIA')) throw new Error(`${where}.accessKeys[${i}]: ASIA... ids are reserved for temporary credentials`);
    if (k.userName !== undefined && (typeof k.userName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(k.userName))) {
      throw new Error(`${where}.accessKeys[${i}].userName must be an IAM user name`);
    }
  });
  const roleList = roles ?? [];
  if (!Array.isArray(roleList)) throw new Error(`${where}.roles must be a list`);
  roleList.forEach((r: unknown, i: number) => {
    const at = `${where}.roles[${i}]`;
    if (!isPlainObject(r) || typeof r.arn !== 'string') throw new Error(`${at}.arn is required`);
    const parsed = parseRoleArn(r.arn);
    if (!parsed) throw new Error(`${at}.arn must be arn:aws:iam::<account>:role/<name>`);
    if (parsed.account !== id) throw new Error(`${at}.arn must be in account ${id}`);
    if (r.externalId !== undefined && (typeof r.externalId !== 'string' || !/^[\w+=,.@:/-]{2,1224}$/.test(r.externalId))) {
      throw new Error(`${at}.externalId must be 2..1224 characters of [\\w+=,.@:/-]`);
    }
    if (
      r.trustedPrincipals !== undefined &&
      (!Array.isArray(r.trustedPrincipals) || !r.trustedPrincipals.every((p) => typeof p === 'string'))
    ) {
      throw new Error(`${at}.trustedPrincipals must be a list of account ids or ARNs`);
    }
    const max = r.maxSessionDuration;
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 3600 || max > 43200)) {
      throw new Error(`${at}.maxSessionDuration must be an integer 3600..43200`);
    }
  });
  return raw as unknown as AccountConfig;
}

/**
 * The accounts the emulator plays, their long-term keys, their roles and the temporary sessions
 * AssumeRole handed out. Sessions live in memory only, like every resource.
 */
export class Accounts {
  private readonly accounts = new Map<string, Account>();
  private readonly keys = new Map<string, AccessKey & { account: string }>();
  private readonly sessions = new Map<string, TemporarySession>();

  constructor(
    readonly defaultAccount: string,
    configs: AccountConfig[],
  ) {
    for (const c of configs) this.add(c);
    if (!this.accounts.has(defaultAccount)) this.add({ id: defaultAccount });
  }

  private add(c: AccountConfig): void {
    const existing = this.accounts.get(c.id);
    const account: Account = existing ?? { id: c.id, label: c.label ?? '', roles: [] };
    if (c.label) account.label = c.label;
    for (const role of c.roles ?? []) {
      if (account.roles.some((r) => r.arn === role.arn)) throw new Error(`role ${role.arn} is configured twice`);
      account.roles.push({ ...role });
    }
    for (const key of c.accessKeys ?? []) {
      const holder = this.keys.get(key.accessKeyId);
      if (holder && holder.account !== c.id) throw new Error(`access key ${key.accessKeyId} is configured for two accounts`);
      this.keys.set(key.accessKeyId, { ...key, account: c.id });
    }
    this.accounts.set(c.id, account);
  }

  list(): (Account & { accessKeyIds: string[] })[] {
    return [...this.accounts.values()].map((a) => ({
      ...a,
      roles: a.roles.map((r) => ({ ...r })),
      accessKeyIds: [...this.keys.values()].filter((k) => k.account === a.id).map((k) => k.accessKeyId),
    }));
  }

  has(account: string): boolean {
    return this.accounts.has(account);
  }

  longTermKey(accessKeyId: string): (AccessKey & { account: string }) | undefined {
    return this.keys.get(accessKeyId);
  }

  session(accessKeyId: string): TemporarySession | undefined {
    return this.sessions.get(accessKeyId);
  }

  principalForKey(accessKeyId: string): Principal | undefined {
    const k = this.keys.get(accessKeyId);
    if (!k) return undefined;
    const arn = `arn:aws:iam::${k.account}:user/${k.userName ?? 'emulator'}`;
    return { account: k.account, accessKeyId, arn, userId: uniqueId('AIDA', arn) };
  }

  principalForSession(s: TemporarySession): Principal {
    return { account: s.account, accessKeyId: s.accessKeyId, arn: s.assumedRoleArn, userId: s.assumedRoleId, session: s };
  }

  role(arn: string): RoleConfig | undefined {
    const parsed = parseRoleArn(arn);
    return parsed ? this.accounts.get(parsed.account)?.roles.find((r) => r.arn === arn) : undefined;
  }

  /** The role's trust policy: does it name this caller (by account, user ARN or role)? */
  trusts(role: RoleConfig, caller: Principal): boolean {
    const trusted = role.trustedPrincipals ?? [this.defaultAccount];
    return trusted.some(
      (p) =>
        p === '*' ||
        p === caller.account ||
        p === `arn:aws:iam::${caller.account}:root` ||
        p === caller.arn ||
        (caller.session !== undefined && p === caller.session.roleArn),
    );
  }

  issue(role: RoleConfig, sessionName: string, expiresAt: number, sourceIdentity?: string): TemporarySession {
    const parsed = parseRoleArn(role.arn)!;
    const s: TemporarySession = {
      accessKeyId: randomAccessKeyId(),
      secretAccessKey: randomBytes(30).toString('base64'),
      // Real session tokens are long opaque base64 blobs; clients must send them back verbatim.
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString('base64')}`,
      account: parsed.account,
      roleArn: role.arn,
      assumedRoleArn: `arn:aws:sts::${parsed.account}:assumed-role/${parsed.name}/${sessionName}`,
      assumedRoleId: `${uniqueId('AROA', role.arn)}:${sessionName}`,
      sessionName,
      sourceIdentity,
      expiresAt,
    };
    this.sessions.set(s.accessKeyId, s);
    return s;
  }
}
