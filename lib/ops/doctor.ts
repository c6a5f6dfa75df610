import 'server-only';
import { getDatabase } from '@/lib/db';
import { env } from '@/lib/env';
import { accounts, type Account } from '@/lib/ivschat/accounts';
import { listOneRoom, readRoom, resolveCredentials } from '@/lib/ivschat/probe';

/**
 * `npm run doctor` and the start-up check: what the console will need for each account and
 * region, tried for real, and in plain words what is missing. It never calls CreateChatToken (that
 * would issue a token outside the audited mint path); it says so, and names the IAM action.
 */
export type DoctorStatus = 'ok' | 'fail' | 'warn';

export interface DoctorCheck {
  status: DoctorStatus;
  /** `default / us-east-1: credentials` */
  name: string;
  detail: string;
  /** What to do about a failure: a variable to set, or the IAM statement to add. */
  fix?: string;
}

const IAM_ACTIONS = [
  'ivschat:ListRooms',
  'ivschat:GetRoom',
  'ivschat:CreateChatToken',
  'ivschat:DisconnectUser',
  'ivschat:DeleteMessage',
  'ivschat:SendEvent',
];

function iamStatement(action: string, region: string): string {
  return JSON.stringify(
    {
      Effect: 'Allow',
      Action: action === 'ivschat:ListRooms' ? ['ivschat:ListRooms'] : [action],
      Resource: action === 'ivschat:ListRooms' ? '*' : `arn:aws:ivschat:${region}:<account-id>:room/*`,
    },
    null,
    0,
  );
}

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET']);

/** One failed IVS Chat call, in words an operator acts on. */
function explain(err: unknown, action: string, region: string): Pick<DoctorCheck, 'detail' | 'fix'> {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = e.name ?? 'Error';
  const where = env.IVSCHAT_ENDPOINT ?? `https://ivschat.${region}.amazonaws.com`;
  if (name === 'CredentialsProviderError') {
    return {
      detail: `No AWS credentials could be found (${e.message ?? name}).`,
      fix: env.IVSCHAT_ENDPOINT
        ? 'Set IVSCHAT_ACCESS_KEY_ID and IVSCHAT_SECRET_ACCESS_KEY for this endpoint.'
        : 'Give the console credentials through the SDK default chain: AWS_PROFILE (with ~/.aws/config), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a role (instance profile, ECS task role, EKS IRSA).',
    };
  }
  if (
    [
      'UnrecognizedClientException',
      'InvalidSignatureException',
      'SignatureDoesNotMatch',
      'InvalidClientTokenId',
      'IncompleteSignatureException',
    ].includes(name)
  ) {
    return {
      detail: `AWS did not accept the credentials (${name}): the access key does not exist, or the secret is wrong.`,
      fix: env.IVSCHAT_ACCESS_KEY_ID
        ? 'Check IVSCHAT_ACCESS_KEY_ID and IVSCHAT_SECRET_ACCESS_KEY.'
        : 'Check the credentials the SDK default chain finds (aws sts get-caller-identity).',
    };
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken') {
    return { detail: `The credentials have expired (${name}).`, fix: 'Refresh the session (aws sso login, or new temporary credentials).' };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return {
      detail: `The credentials may not call ${action} in ${region} (${name}).`,
      fix: `Add to the console role's IAM policy: ${iamStatement(action, region)}`,
    };
  }
  const code = e.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if ((code && UNREACHABLE.has(code)) || name === 'TimeoutError') {
    return {
      detail: `IVS Chat in ${region} cannot be reached at ${where} (${code ?? name}).`,
      fix: env.IVSCHAT_ENDPOINT
        ? 'Start the emulator (npm run emulator) or fix IVSCHAT_ENDPOINT.'
        : `Check that ${region} offers IVS Chat, that IVSCHAT_REGIONS lists only such regions, and that this host can reach AWS (proxy, VPC endpoint, security group).`,
    };
  }
  return {
    detail:
      `${action} failed: ${name}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}: ${e.message ?? ''}`.trim(),
  };
}

async function checkDatabase(): Promise<DoctorCheck> {
  try {
    const { db, kind } = await getDatabase();
    const at = new Date().toISOString();
    await db
      .insertInto('health_probe')
      .values({ id: 1, checked_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ checked_at: at }))
      .execute();
    return {
      status: 'ok',
      name: 'database',
      detail: `${kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${env.CONSOLE_DATA_DIR}`} takes writes.`,
    };
  } catch (err) {
    return {
      status: 'fail',
      name: 'database',
      detail: `The database does not take writes: ${err instanceof Error ? err.message : String(err)}. No token can be minted without its audit entry.`,
      fix: env.DATABASE_URL
        ? 'Check DATABASE_URL, that the server is up and the role may write.'
        : `Check that ${env.CONSOLE_DATA_DIR} is writable.`,
    };
  }
}

async function checkRegion(account: Account, region: string): Promise<DoctorCheck[]> {
  const label = `${account.label} / ${region}`;
  const checks: DoctorCheck[] = [];
  const credentials = await resolveCredentials(account, region);
  if (!credentials.ok) {
    checks.push({ status: 'fail', name: `${label}: credentials`, ...explain(credentials.error, 'ListRooms', region) });
    return checks;
  }
  const key = credentials.data.accessKeyId;
  checks.push({ status: 'ok', name: `${label}: credentials`, detail: `Resolved (access key ${key.slice(0, 4)}…${key.slice(-4)}).` });
  const listed = await listOneRoom(account, region);
  if (!listed.ok) {
    checks.push({ status: 'fail', name: `${label}: ListRooms`, ...explain(listed.error, 'ivschat:ListRooms', region) });
    return checks;
  }
  const firstRoom = listed.data.firstRoomArn;
  checks.push({ status: 'ok', name: `${label}: ListRooms`, detail: firstRoom ? 'Answers.' : 'Answers, but this region has no rooms.' });
  if (firstRoom) {
    const read = await readRoom(account, firstRoom);
    checks.push(
      read.ok
        ? { status: 'ok', name: `${label}: GetRoom`, detail: `Reads ${firstRoom}.` }
        : { status: 'fail', name: `${label}: GetRoom`, ...explain(read.error, 'ivschat:GetRoom', region) },
    );
  }
  checks.push({
    status: 'warn',
    name: `${label}: CreateChatToken`,
    detail: 'Not tried: a test call would issue a real token outside the audited mint path. The first mint shows whether it is allowed.',
    fix: `The IAM policy needs ${IAM_ACTIONS.filter((a) => a !== 'ivschat:ListRooms' && a !== 'ivschat:GetRoom').join(', ')} on the rooms.`,
  });
  return checks;
}

export async function runDoctor(): Promise<{ ok: boolean; checks: DoctorCheck[] }> {
  const checks = [await checkDatabase(), ...(await Promise.all(accounts().flatMap((a) => a.regions.map((r) => checkRegion(a, r))))).flat()];
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

const MARK: Record<DoctorStatus, string> = { ok: 'ok  ', fail: 'FAIL', warn: 'note' };

export function formatDoctor(report: { ok: boolean; checks: DoctorCheck[] }): string {
  const lines = report.checks.map((c) => `  ${MARK[c.status]}  ${c.name}: ${c.detail}${c.fix ? `\n          fix: ${c.fix}` : ''}`);
  return [`Console check: ${report.ok ? 'ready' : 'something is missing'}`, ...lines].join('\n');
}
