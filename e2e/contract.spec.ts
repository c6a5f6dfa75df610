/**
 * The one result contract, walked over real HTTP against the built console: every server action in
 * lib/actions/ and every route handler under app/api/ (both listed from the filesystem, so a new
 * one without cases here fails the walk) is called signed out, with a role that may not, with bad
 * input, the wrong content type, and AWS faults, and every failure must have the one shape:
 * `ok: false`, a code of ERROR_CODES, a message, `fieldErrors` (an object of strings), `awsCode`
 * only with the AWS codes, and no caching. Server actions are called the way the browser calls
 * them: a POST with `Next-Action: <id>` (ids from the build's server-reference manifest) and the
 * member's session cookie, so the session layer runs for real.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { AWS_ERROR_CODES, ERROR_CODES } from '../lib/contract/result';
import { E2E, storageStateFor, type AccountRole } from './env';
import { SEED, armFault, clearFaults, createApiKeyCli, emulatorStats } from './helpers';

type Who = AccountRole | 'anonymous' | `apiKey:${AccountRole}` | 'badKey';
type Json = Record<string, unknown>;

const UUID = '00000000-0000-4000-8000-000000000000';
const MISSING_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/NoSuchRoom01';
const BAD_ARN = 'not-an-arn';

/* ------------------------------------------------------------------------------------------------
 * The shape
 * ---------------------------------------------------------------------------------------------- */

/** Every failure the console returns: the one shape of lib/contract/result.ts. */
function expectFailureShape(body: unknown, where: string): asserts body is Json & { code: string } {
  expect(typeof body === 'object' && body !== null, `${where}: a JSON object`).toBe(true);
  const f = body as Json;
  expect(f.ok, `${where}: ok`).toBe(false);
  expect(ERROR_CODES as readonly unknown[], `${where}: code ${String(f.code)} is one of ERROR_CODES`).toContain(f.code);
  expect(typeof f.message, `${where}: message`).toBe('string');
  expect((f.message as string).length, `${where}: message not empty`).toBeGreaterThan(0);
  expect(typeof f.fieldErrors === 'object' && f.fieldErrors !== null && !Array.isArray(f.fieldErrors), `${where}: fieldErrors`).toBe(true);
  for (const [k, v] of Object.entries(f.fieldErrors as Json)) expect(typeof v, `${where}: fieldErrors.${k}`).toBe('string');
  if ('awsCode' in f) {
    expect(AWS_ERROR_CODES as readonly unknown[], `${where}: awsCode only with AWS codes`).toContain(f.code);
    expect(typeof f.awsCode, `${where}: awsCode`).toBe('string');
  }
  for (const [k, type] of [
    ['rule', 'string'],
    ['retryable', 'boolean'],
    ['auditId', 'string'],
    ['retryAfterSeconds', 'number'],
  ] as const) {
    if (k in f) expect(typeof f[k], `${where}: ${k}`).toBe(type);
  }
}

/* ------------------------------------------------------------------------------------------------
 * Callers
 * ---------------------------------------------------------------------------------------------- */

const contexts = new Map<Who, APIRequestContext>();
const apiKeys: Partial<Record<AccountRole, string>> = {};

async function contextFor(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, who: Who) {
  let ctx = contexts.get(who);
  if (!ctx) {
    const signedIn = who !== 'anonymous' && who !== 'badKey' && !who.startsWith('apiKey:');
    ctx = await playwright.request.newContext({
      baseURL: E2E.baseUrl,
      storageState: signedIn ? storageStateFor(who as AccountRole) : { cookies: [], origins: [] },
    });
    contexts.set(who, ctx);
  }
  return ctx;
}

function authHeaders(who: Who): Record<string, string> {
  if (who === 'badKey') return { Authorization: 'Bearer ivsc_not-a-key' };
  if (who.startsWith('apiKey:')) {
    const role = who.slice('apiKey:'.length) as AccountRole;
    apiKeys[role] ??= createApiKeyCli(`e2e-contract-${role}-${Date.now().toString(36)}`, role);
    return { Authorization: `Bearer ${apiKeys[role]}` };
  }
  return {};
}

/** The server actions of the build: export name -> action id and a page that serves it. */
function actionManifest(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(readFileSync(join(`.next-e2e-${E2E.port}`, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }>;
  };
  const out = new Map<string, { id: string; page: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const file = entry.filename ?? '';
    if (!file.includes('lib/actions/') || !entry.exportedName) continue;
    const workers = Object.keys(entry.workers).filter((w) => w.endsWith('/page'));
    const worker = workers.find((w) => !w.includes('[')) ?? workers[0];
    if (!worker) continue;
    const page = `/${worker
      .replace(/^app\//, '')
      .replace(/\/page$/, '')
      .split('/')
      .filter((s) => !/^\(.*\)$/.test(s))
      .map((s) => (s.startsWith('[') ? UUID : s))
      .join('/')}`.replace(/\/$/, '');
    out.set(`${file.replace(/^.*lib\/actions\//, '').replace(/\.ts$/, '')}#${entry.exportedName}`, { id, page: page || '/' });
  }
  return out;
}

/**
 * A React Server Components payload (what a server action answers) back to a value: the rows are
 * `<id>:<json>`; row 0 points at the action's return value. Plain objects only: a value the
 * contract does not allow (a Date, a Map, a promise) fails here.
 */
function decodeActionResponse(text: string): unknown {
  const rows = new Map<string, unknown>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (m) rows.set(m[1]!, JSON.parse(m[2]!));
  }
  const revive = (v: unknown): unknown => {
    if (typeof v === 'string' && v.startsWith('$')) {
      if (v.startsWith('$$')) return v.slice(1);
      if (v === '$undefined') return undefined;
      const ref = /^\$@?([0-9a-f]+)$/.exec(v);
      if (ref) return revive(rows.get(ref[1]!));
      throw new Error(`unexpected RSC value ${v} in ${text.slice(0, 300)}`);
    }
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    return v;
  };
  const root = rows.get('0') as { a?: unknown } | undefined;
  if (!root || !('a' in root)) throw new Error(`not an action response: ${text.slice(0, 300)}`);
  return revive(root.a);
}

/** Action arguments as the browser encodes them (React's reply encoding, for plain values). */
const encodeArgs = (args: unknown[]) =>
  JSON.stringify(args, (_key, v: unknown) => (v === undefined ? '$undefined' : typeof v === 'string' && v.startsWith('$') ? `$${v}` : v));

/* ------------------------------------------------------------------------------------------------
 * The cases
 * ---------------------------------------------------------------------------------------------- */

interface Expect {
  code: string;
  awsCode?: string;
  /** A field the failure must name in fieldErrors. */
  field?: string;
  status?: number;
}
interface ActionCase {
  as: Who;
  args: unknown[];
  expect: Expect;
  fault?: Json;
}

const MINT = {
  roomArn: SEED.qaSandbox,
  userId: 'contract-user',
  capabilities: ['SEND_MESSAGE'],
  sessionDurationInMinutes: 5,
  reason: 'contract',
};
const denied = (operation: string): Json => ({ operation, error: 'AccessDeniedException', count: 3 });

/**
 * For every file in lib/actions/: the export called and its cases. Each action is also called
 * signed out (UNAUTHENTICATED) without a case here. A file missing from this table fails the walk.
 */
const ACCESS_REQUEST = {
  roomArn: SEED.qaSandbox,
  capabilities: ['DELETE_MESSAGE'],
  windowMinutes: 5,
  sessionDurationInMinutes: 5,
  reason: 'r',
};

const ACTION_CASES: Record<string, { name: string; cases: ActionCase[] }> = {
  'cancel-access-request-action': {
    name: 'cancelAccessRequestAction',
    cases: [
      { as: 'moderator', args: ['nope'], expect: { code: 'NOT_FOUND' } },
      { as: 'moderator', args: [999_999], expect: { code: 'NOT_FOUND' } },
    ],
  },
  'create-access-request-action': {
    name: 'createAccessRequestAction',
    cases: [
      // The default policy gives no role `requests`.
      { as: 'viewer', args: [ACCESS_REQUEST], expect: { code: 'FORBIDDEN' } },
      { as: 'moderator', args: [{ ...ACCESS_REQUEST, roomArn: BAD_ARN }], expect: { code: 'INVALID_INPUT', field: 'roomArn' } },
      { as: 'moderator', args: [{ ...ACCESS_REQUEST, windowMinutes: 0 }], expect: { code: 'INVALID_INPUT', field: 'windowMinutes' } },
    ],
  },
  'decide-access-request-action': {
    name: 'decideAccessRequestAction',
    cases: [
      { as: 'moderator', args: [1, { decision: 'approve' }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [1, { decision: 'maybe' }], expect: { code: 'INVALID_INPUT', field: 'decision' } },
      { as: 'admin', args: [999_999, { decision: 'approve' }], expect: { code: 'NOT_FOUND' } },
    ],
  },
  'add-denylist-entry-action': {
    name: 'addDenylistEntryAction',
    cases: [
      { as: 'support', args: [{ userId: 'x', roomArn: SEED.qaSandbox, reason: 'r' }], expect: { code: 'FORBIDDEN' } },
      { as: 'moderator', args: [{ userId: '', roomArn: BAD_ARN, reason: 'r' }], expect: { code: 'INVALID_INPUT', field: 'userId' } },
      {
        as: 'qa',
        args: [{ userId: 'x', roomArn: MISSING_ROOM, reason: 'r', disconnectNow: false }],
        expect: { code: 'AWS_ERROR', awsCode: 'ResourceNotFoundException', field: 'roomArn' },
      },
    ],
  },
  'add-staff-action': {
    name: 'addStaffAction',
    cases: [
      { as: 'moderator', args: [{ email: 'a@b.c', role: 'viewer' }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{ email: '', role: 'king' }], expect: { code: 'INVALID_INPUT', field: 'role' } },
      { as: 'admin', args: [{ email: 'moderator@e2e.test', role: 'viewer' }], expect: { code: 'CONFLICT', field: 'email' } },
    ],
  },
  'cancel-bulk-job-action': {
    name: 'cancelBulkJobAction',
    cases: [
      { as: 'viewer', args: [UUID], expect: { code: 'FORBIDDEN' } },
      { as: 'qa', args: [{ id: 1 }], expect: { code: 'INVALID_INPUT' } },
      { as: 'qa', args: [UUID], expect: { code: 'NOT_FOUND' } },
    ],
  },
  'change-password-action': {
    name: 'changePasswordAction',
    cases: [
      { as: 'viewer', args: [{ current: '', next: '' }], expect: { code: 'INVALID_INPUT', field: 'current' } },
      // A wrong current password changes nothing (the shared e2e accounts keep theirs).
      {
        as: 'viewer',
        args: [{ current: 'not the password of this account', next: 'a new password long enough', confirm: 'a new password long enough' }],
        expect: { code: 'INVALID_INPUT', field: 'current' },
      },
    ],
  },
  'connect-here-action': {
    name: 'connectHereAction',
    cases: [
      { as: 'viewer', args: [MINT], expect: { code: 'FORBIDDEN' } },
      { as: 'moderator', args: [{ ...MINT, userId: '' }], expect: { code: 'INVALID_INPUT', field: 'userId' } },
      { as: 'moderator', args: [MINT], fault: denied('CreateChatToken'), expect: { code: 'AWS_ERROR', awsCode: 'AccessDeniedException' } },
    ],
  },
  'create-service-account-action': {
    name: 'createServiceAccountAction',
    cases: [
      { as: 'moderator', args: [{ name: 'pipeline' }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{ name: '' }], expect: { code: 'INVALID_INPUT', field: 'serviceAccount' } },
    ],
  },
  'create-api-key-action': {
    name: 'createApiKeyAction',
    cases: [
      { as: 'support', args: [{ name: 'n', role: 'qa' }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{ name: '', role: 'qa' }], expect: { code: 'INVALID_INPUT', field: 'name' } },
    ],
  },
  'delete-message-action': {
    name: 'deleteMessageAction',
    cases: [
      { as: 'support', args: [{ roomArn: SEED.qaSandbox, messageId: 'AbCdEf123456', reason: 'r' }], expect: { code: 'FORBIDDEN' } },
      { as: 'moderator', args: [{ roomArn: BAD_ARN, messageId: '', reason: 'r' }], expect: { code: 'INVALID_INPUT', field: 'roomArn' } },
      {
        as: 'moderator',
        args: [{ roomArn: SEED.qaSandbox, messageId: 'AbCdEf123456', reason: 'r' }],
        fault: denied('DeleteMessage'),
        expect: { code: 'AWS_ERROR', awsCode: 'AccessDeniedException' },
      },
    ],
  },
  'delete-preset-action': {
    name: 'deletePresetAction',
    cases: [
      { as: 'moderator', args: ['preset-qa-chatter'], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{}], expect: { code: 'INVALID_INPUT' } },
      { as: 'admin', args: ['no-such-preset'], expect: { code: 'NOT_FOUND' } },
    ],
  },
  'disconnect-user-action': {
    name: 'disconnectUserAction',
    cases: [
      { as: 'support', args: [{ roomArn: SEED.qaSandbox, userId: 'x', reason: 'r' }], expect: { code: 'FORBIDDEN' } },
      { as: 'moderator', args: [{ roomArn: SEED.qaSandbox, userId: '', reason: 'r' }], expect: { code: 'INVALID_INPUT', field: 'userId' } },
      {
        as: 'moderator',
        args: [{ roomArn: SEED.qaSandbox, userId: 'x', reason: 'r' }],
        fault: denied('DisconnectUser'),
        expect: { code: 'AWS_ERROR', awsCode: 'AccessDeniedException' },
      },
      // qa's room scope needs the room's tags: a GetRoom that fails is an AWS failure, not a refusal.
      {
        as: 'qa',
        args: [{ roomArn: MISSING_ROOM, userId: 'x', reason: 'r' }],
        expect: { code: 'AWS_ERROR', awsCode: 'ResourceNotFoundException', field: 'roomArn' },
      },
    ],
  },
  'end-staff-sessions-action': {
    name: 'endStaffSessionsAction',
    cases: [
      { as: 'moderator', args: [{ staffId: UUID }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{ staffId: '' }], expect: { code: 'INVALID_INPUT' } },
    ],
  },
  'get-room-action': {
    name: 'getRoomAction',
    cases: [
      { as: 'viewer', args: [BAD_ARN], expect: { code: 'INVALID_INPUT', field: 'roomArn' } },
      // Room details only for roles that act on rooms, in their scope (issue 12).
      { as: 'viewer', args: [SEED.qaSandbox], expect: { code: 'FORBIDDEN' } },
      { as: 'qa', args: ['arn:aws:ivschat:us-east-1:123456789012:room/MainStage001'], expect: { code: 'FORBIDDEN', field: 'roomArn' } },
      { as: 'moderator', args: [MISSING_ROOM], expect: { code: 'AWS_ERROR', awsCode: 'ResourceNotFoundException' } },
      {
        as: 'moderator',
        args: [SEED.qaSandbox],
        fault: denied('GetRoom'),
        expect: { code: 'AWS_ERROR', awsCode: 'AccessDeniedException' },
      },
    ],
  },
  'lookup-token-action': {
    name: 'lookupTokenAction',
    cases: [{ as: 'viewer', args: [{ token: '' }], expect: { code: 'INVALID_INPUT', field: 'token' } }],
  },
  'mint-token-action': {
    name: 'mintTokenAction',
    cases: [
      { as: 'viewer', args: [MINT], expect: { code: 'FORBIDDEN' } },
      {
        as: 'moderator',
        args: [{ ...MINT, sessionDurationInMinutes: 999 }],
        expect: { code: 'INVALID_INPUT', field: 'sessionDurationInMinutes' },
      },
      {
        as: 'support',
        args: [{ ...MINT, sessionDurationInMinutes: 180 }],
        expect: { code: 'FORBIDDEN', field: 'sessionDurationInMinutes' },
      },
      // A preset's reason template left as it was filled in is not the reason DISCONNECT_USER requires.
      {
        as: 'moderator',
        args: [{ ...MINT, capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'], reason: 'Temporary moderator for ' }],
        expect: { code: 'FORBIDDEN', field: 'reason' },
      },
      { as: 'moderator', args: [{ ...MINT, roomArn: MISSING_ROOM }], expect: { code: 'AWS_ERROR', awsCode: 'ResourceNotFoundException' } },
      { as: 'moderator', args: [MINT], fault: denied('CreateChatToken'), expect: { code: 'AWS_ERROR', awsCode: 'AccessDeniedException' } },
      {
        as: 'moderator',
        args: [MINT],
        fault: { operation: 'CreateChatToken', error: 'ThrottlingException', count: 3 },
        expect: { code: 'AWS_ERROR', awsCode: 'ThrottlingException' },
      },
    ],
  },
  'remove-denylist-entry-action': {
    name: 'removeDenylistEntryAction',
    cases: [
      { as: 'support', args: [{ id: UUID }], expect: { code: 'FORBIDDEN' } },
      { as: 'moderator', args: [{ id: 'nope' }], expect: { code: 'INVALID_INPUT', field: 'id' } },
      { as: 'moderator', args: [{ id: UUID }], expect: { code: 'NOT_FOUND' } },
    ],
  },
  'reset-staff-password-action': {
    name: 'resetStaffPasswordAction',
    cases: [
      { as: 'moderator', args: [{ staffId: UUID }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{}], expect: { code: 'INVALID_INPUT' } },
    ],
  },
  'revoke-api-key-action': {
    name: 'revokeApiKeyAction',
    cases: [
      { as: 'moderator', args: [{ apiKeyId: 'x' }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{}], expect: { code: 'INVALID_INPUT', field: 'apiKeyId' } },
      { as: 'admin', args: [{ apiKeyId: 'no-such-key' }], expect: { code: 'NOT_FOUND' } },
    ],
  },
  'save-preset-action': {
    name: 'savePresetAction',
    cases: [
      { as: 'moderator', args: [undefined, {}], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [undefined, { name: '' }], expect: { code: 'INVALID_INPUT', field: 'name' } },
      // A preset for a role that could never use it (viewer may not mint).
      {
        as: 'admin',
        args: [undefined, { name: 'Never usable', roles: ['viewer'], capabilities: ['SEND_MESSAGE'], sessionDurationInMinutes: 5 }],
        expect: { code: 'INVALID_INPUT', field: 'roles' },
      },
    ],
  },
  'send-event-action': {
    name: 'sendEventAction',
    cases: [
      { as: 'support', args: [{ roomArn: SEED.qaSandbox, eventName: 'app:x', attributes: [] }], expect: { code: 'FORBIDDEN' } },
      {
        as: 'moderator',
        args: [{ roomArn: SEED.qaSandbox, eventName: '', attributes: [] }],
        expect: { code: 'INVALID_INPUT', field: 'eventName' },
      },
      {
        as: 'moderator',
        args: [{ roomArn: SEED.qaSandbox, eventName: 'app:x', attributes: [] }],
        fault: { operation: 'SendEvent', hang: true, count: 3 },
        expect: { code: 'AWS_OUTCOME_UNKNOWN', awsCode: 'Timeout' },
      },
    ],
  },
  'set-service-account-disabled-action': {
    name: 'setServiceAccountDisabledAction',
    cases: [
      { as: 'moderator', args: [{ serviceAccountId: UUID, disabled: true }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{ serviceAccountId: UUID }], expect: { code: 'INVALID_INPUT' } },
    ],
  },
  'set-staff-disabled-action': {
    name: 'setStaffDisabledAction',
    cases: [
      { as: 'moderator', args: [{ staffId: 'x', disabled: true }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{ staffId: 'x' }], expect: { code: 'INVALID_INPUT', field: 'disabled' } },
      { as: 'admin', args: [{ staffId: 'no-such-member', disabled: true }], expect: { code: 'NOT_FOUND' } },
    ],
  },
  'set-staff-role-action': {
    name: 'setStaffRoleAction',
    cases: [
      { as: 'moderator', args: [{ staffId: 'x', role: 'admin' }], expect: { code: 'FORBIDDEN' } },
      { as: 'admin', args: [{ staffId: 'x', role: 'king' }], expect: { code: 'INVALID_INPUT', field: 'role' } },
      { as: 'admin', args: [{ staffId: 'no-such-member', role: 'qa' }], expect: { code: 'NOT_FOUND' } },
    ],
  },
};

interface RouteCase {
  method: 'GET' | 'POST';
  path: string;
  as: Who;
  headers?: Record<string, string>;
  body?: string | Buffer;
  expect: Expect & { status: number };
}

const json = { 'Content-Type': 'application/json' };
const sameOrigin = { Origin: E2E.baseUrl };
const BULK = { roomArn: SEED.qaSandbox, source: { kind: 'template', template: 'c-{n}', start: 1, count: 1 } };

/**
 * For every app/api/**\/route.ts: its cases (each exported method is also called signed out, and
 * with a refused API key where keys are taken, without a case here). next-auth's own route is
 * left out: its endpoints answer next-auth's redirects and errors, not the console's.
 */
const ROUTE_CASES: Record<string, RouteCase[] | { skip: string }> = {
  'app/api/auth/[...nextauth]/route.ts': { skip: "next-auth's own endpoints (sign-in redirects, CSRF), not the console's contract" },
  'app/api/v1/openapi.json/route.ts': { skip: 'public and static: GET has no failure' },
  'app/api/health/route.ts': { skip: 'public liveness for load balancers: it always answers 200 (e2e/ops.spec.ts)' },
  'app/api/ready/route.ts': { skip: 'public readiness for load balancers: its 503 is checked in e2e/ops.spec.ts' },
  'app/api/metrics/route.ts': { skip: 'a metrics token, not a session: its 404 and 401 bodies are checked in e2e/ops.spec.ts' },
  'app/api/audit/activity/export/route.ts': [
    {
      method: 'GET',
      path: '/api/audit/activity/export?format=xml',
      as: 'viewer',
      expect: { status: 400, code: 'INVALID_INPUT', field: 'format' },
    },
  ],
  'app/api/v1/audit/events/route.ts': [
    {
      method: 'GET',
      path: '/api/v1/audit/events?after=-1',
      as: 'apiKey:viewer',
      expect: { status: 400, code: 'INVALID_INPUT', field: 'after' },
    },
  ],
  'app/api/audit/export/route.ts': [
    { method: 'GET', path: '/api/audit/export?format=csv', as: 'anonymous', expect: { status: 401, code: 'UNAUTHENTICATED' } },
    { method: 'GET', path: '/api/audit/export?format=xml', as: 'viewer', expect: { status: 400, code: 'INVALID_INPUT', field: 'format' } },
    { method: 'GET', path: '/api/audit/export?format=csv&status=nope', as: 'viewer', expect: { status: 400, code: 'INVALID_INPUT' } },
  ],
  'app/api/bulk/jobs/route.ts': [
    {
      method: 'POST',
      path: '/api/bulk/jobs',
      as: 'viewer',
      headers: json,
      body: JSON.stringify(BULK),
      expect: { status: 403, code: 'FORBIDDEN' },
    },
    {
      method: 'POST',
      path: '/api/bulk/jobs',
      as: 'qa',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify(BULK),
      expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    },
    {
      method: 'POST',
      path: '/api/bulk/jobs',
      as: 'qa',
      headers: json,
      body: '{"roomArn":',
      expect: { status: 400, code: 'INVALID_INPUT' },
    },
    {
      method: 'POST',
      path: '/api/bulk/jobs',
      as: 'qa',
      headers: json,
      body: JSON.stringify({ ...BULK, capabilities: ['FLY'] }),
      expect: { status: 400, code: 'INVALID_INPUT', field: 'capabilities.0' },
    },
    {
      method: 'POST',
      path: '/api/bulk/jobs',
      as: 'qa',
      headers: json,
      body: JSON.stringify({ ...BULK, source: { kind: 'csv', csv: 'userId\n\n,x\n' } }),
      expect: { status: 400, code: 'INVALID_INPUT' },
    },
    {
      method: 'POST',
      path: '/api/bulk/jobs',
      as: 'qa',
      headers: { ...json, Origin: 'http://evil.example' },
      body: JSON.stringify(BULK),
      expect: { status: 403, code: 'FORBIDDEN' },
    },
  ],
  'app/api/bulk/jobs/[id]/route.ts': [
    { method: 'GET', path: `/api/bulk/jobs/${UUID}`, as: 'qa', expect: { status: 404, code: 'NOT_FOUND' } },
  ],
  'app/api/bulk/jobs/[id]/download/route.ts': [
    // A same-origin POST (a GET, which a link on another site can send, answers 405).
    {
      method: 'POST',
      path: `/api/bulk/jobs/${UUID}/download?format=csv`,
      as: 'qa',
      headers: sameOrigin,
      expect: { status: 404, code: 'NOT_FOUND' },
    },
    {
      method: 'POST',
      path: `/api/bulk/jobs/${UUID}/download?format=xml`,
      as: 'qa',
      headers: sameOrigin,
      expect: { status: 400, code: 'INVALID_INPUT' },
    },
    {
      method: 'POST',
      path: `/api/bulk/jobs/${UUID}/download`,
      as: 'viewer',
      headers: sameOrigin,
      expect: { status: 403, code: 'FORBIDDEN' },
    },
    {
      method: 'POST',
      path: `/api/bulk/jobs/${UUID}/download`,
      as: 'qa',
      headers: { Origin: 'http://evil.example' },
      expect: { status: 403, code: 'FORBIDDEN' },
    },
  ],
  'app/api/bulk/jobs/[id]/retry/route.ts': [
    { method: 'POST', path: `/api/bulk/jobs/${UUID}/retry`, as: 'qa', headers: sameOrigin, expect: { status: 404, code: 'NOT_FOUND' } },
    { method: 'POST', path: `/api/bulk/jobs/${UUID}/retry`, as: 'viewer', headers: sameOrigin, expect: { status: 403, code: 'FORBIDDEN' } },
    {
      method: 'POST',
      path: `/api/bulk/jobs/${UUID}/retry`,
      as: 'qa',
      headers: { Origin: 'http://evil.example' },
      expect: { status: 403, code: 'FORBIDDEN' },
    },
  ],
  'app/api/requests/pending/route.ts': [],
  'app/api/v1/requests/route.ts': [
    {
      method: 'GET',
      path: '/api/v1/requests?state=bogus',
      as: 'apiKey:viewer',
      expect: { status: 400, code: 'INVALID_INPUT', field: 'state' },
    },
    {
      method: 'POST',
      path: '/api/v1/requests',
      as: 'apiKey:viewer',
      headers: json,
      body: JSON.stringify(ACCESS_REQUEST),
      expect: { status: 403, code: 'FORBIDDEN' },
    },
    {
      method: 'POST',
      path: '/api/v1/requests',
      as: 'apiKey:moderator',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}',
      expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    },
    {
      method: 'POST',
      path: '/api/v1/requests',
      as: 'apiKey:moderator',
      headers: json,
      body: JSON.stringify({ ...ACCESS_REQUEST, capabilities: ['FLY'] }),
      expect: { status: 400, code: 'INVALID_INPUT', field: 'capabilities.0' },
    },
  ],
  'app/api/v1/requests/[id]/route.ts': [
    { method: 'GET', path: '/api/v1/requests/999999', as: 'apiKey:admin', expect: { status: 404, code: 'NOT_FOUND' } },
    { method: 'GET', path: '/api/v1/requests/not-a-number', as: 'apiKey:admin', expect: { status: 404, code: 'NOT_FOUND' } },
  ],
  'app/api/v1/requests/[id]/decision/route.ts': [
    {
      method: 'POST',
      path: '/api/v1/requests/1/decision',
      as: 'apiKey:moderator',
      headers: json,
      body: JSON.stringify({ decision: 'approve' }),
      expect: { status: 403, code: 'FORBIDDEN' },
    },
    {
      method: 'POST',
      path: '/api/v1/requests/1/decision',
      as: 'apiKey:admin',
      headers: json,
      body: JSON.stringify({ decision: 'maybe' }),
      expect: { status: 400, code: 'INVALID_INPUT', field: 'decision' },
    },
    {
      method: 'POST',
      path: '/api/v1/requests/999999/decision',
      as: 'apiKey:admin',
      headers: json,
      body: JSON.stringify({ decision: 'deny' }),
      expect: { status: 404, code: 'NOT_FOUND' },
    },
  ],
  'app/api/v1/rooms/route.ts': [{ method: 'GET', path: '/api/v1/rooms', as: 'apiKey:viewer', expect: { status: 403, code: 'FORBIDDEN' } }],
  'app/api/v1/tokens/route.ts': [
    { method: 'POST', path: '/api/v1/tokens', as: 'qa', headers: json, body: '{}', expect: { status: 401, code: 'UNAUTHENTICATED' } },
    {
      method: 'POST',
      path: '/api/v1/tokens',
      as: 'apiKey:qa',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}',
      expect: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    },
    {
      method: 'POST',
      path: '/api/v1/tokens',
      as: 'apiKey:qa',
      headers: json,
      body: '{',
      expect: { status: 400, code: 'INVALID_INPUT', field: 'body' },
    },
    {
      method: 'POST',
      path: '/api/v1/tokens',
      as: 'apiKey:qa',
      headers: json,
      body: Buffer.alloc(300 * 1024, 32),
      expect: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
    },
    {
      method: 'POST',
      path: '/api/v1/tokens',
      as: 'apiKey:support',
      headers: json,
      body: JSON.stringify({ ...MINT, sessionDurationInMinutes: 180 }),
      expect: { status: 403, code: 'FORBIDDEN', field: 'sessionDurationInMinutes' },
    },
    {
      method: 'POST',
      path: '/api/v1/tokens',
      as: 'apiKey:admin',
      headers: json,
      body: JSON.stringify({ ...MINT, roomArn: MISSING_ROOM }),
      expect: { status: 404, code: 'AWS_ERROR', awsCode: 'ResourceNotFoundException' },
    },
  ],
  'app/api/v1/tokens/[id]/route.ts': [
    { method: 'GET', path: `/api/v1/tokens/${UUID}`, as: 'apiKey:qa', expect: { status: 404, code: 'NOT_FOUND' } },
    { method: 'GET', path: '/api/v1/tokens/not-a-uuid', as: 'apiKey:qa', expect: { status: 404, code: 'NOT_FOUND' } },
  ],
};

function routeFiles(dir = 'app/api'): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return routeFiles(path);
    return name === 'route.ts' ? [relative('.', path)] : [];
  });
}

/** The URL of a route file, its dynamic segments filled with a well-formed id that names nothing. */
const routePath = (file: string) =>
  `/${file
    .replace(/^app\//, '')
    .replace(/\/route\.ts$/, '')
    .replace(/\[[^\]]+\]/g, UUID)}`;

const exportedMethods = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);

const actionFiles = readdirSync('lib/actions')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

/* ------------------------------------------------------------------------------------------------
 * The walk
 * ---------------------------------------------------------------------------------------------- */

test.describe('one result contract', () => {
  test.describe.configure({ timeout: 240_000 });
  test.afterEach(async () => clearFaults());
  test.afterAll(async () => {
    for (const ctx of contexts.values()) await ctx.dispose();
    contexts.clear();
  });

  test('every action and route file has cases here, and every case names a file that exists', () => {
    expect(Object.keys(ACTION_CASES).sort(), 'lib/actions/ and ACTION_CASES').toEqual([...actionFiles].sort());
    expect(Object.keys(ROUTE_CASES).sort(), 'app/api/**/route.ts and ROUTE_CASES').toEqual(routeFiles().sort());
  });

  test('every server action: each failure has the one shape', async ({ playwright }) => {
    const manifest = actionManifest();
    let failures = 0;
    for (const file of actionFiles) {
      const { name, cases } = ACTION_CASES[file] ?? { name: '', cases: [] };
      const action = manifest.get(`${file}#${name}`);
      expect(action, `the build has ${file}#${name}`).toBeDefined();
      if (!action) continue;
      const call = async (who: Who, args: unknown[]) => {
        const ctx = await contextFor(playwright, who);
        const res = await ctx.post(action.page, {
          headers: {
            'Next-Action': action.id,
            Accept: 'text/x-component',
            'Content-Type': 'text/plain;charset=UTF-8',
            Origin: E2E.baseUrl,
          },
          data: encodeArgs(args),
          maxRedirects: 0,
        });
        const text = await res.text();
        expect(res.status(), `${file} as ${who}: ${text.slice(0, 200)}`).toBe(200);
        expect(res.headers()['cache-control'] ?? '', `${file}: not cached`).toContain('no-store');
        return decodeActionResponse(text);
      };
      // Signed out, with whatever arguments: the session is checked first.
      const anonymous = await call('anonymous', [{}]);
      expectFailureShape(anonymous, `${file} signed out`);
      expect(anonymous.code).toBe('UNAUTHENTICATED');
      failures++;
      for (const c of cases) {
        const where = `${file} as ${c.as} ${JSON.stringify(c.args).slice(0, 80)}`;
        if (c.fault) await armFault(c.fault);
        const result = await call(c.as, c.args);
        if (c.fault) await clearFaults();
        expectFailureShape(result, where);
        expect(result, where).toMatchObject({ code: c.expect.code, ...(c.expect.awsCode ? { awsCode: c.expect.awsCode } : {}) });
        if (c.expect.field) expect(Object.keys(result.fieldErrors as Json), `${where}: fieldErrors`).toContain(c.expect.field);
        failures++;
      }
    }
    console.log(`contract: ${actionFiles.length} actions, ${failures} failures checked`);
  });

  test('every route handler: each failure has the one shape, status and headers', async ({ playwright }) => {
    let failures = 0;
    for (const file of routeFiles()) {
      const cases = ROUTE_CASES[file];
      if (!cases || 'skip' in cases) continue;
      const takesKeys = file.startsWith('app/api/v1/');
      const generic: RouteCase[] = exportedMethods(file).flatMap((method) => {
        const base = {
          method: method as RouteCase['method'],
          path: routePath(file),
          headers: json,
          body: method === 'GET' ? undefined : '{}',
        };
        return [
          { ...base, as: 'anonymous' as const, expect: { status: 401, code: 'UNAUTHENTICATED' } },
          ...(takesKeys ? [{ ...base, as: 'badKey' as const, expect: { status: 401, code: 'UNAUTHENTICATED' } }] : []),
        ];
      });
      for (const c of [...generic, ...cases]) {
        const where = `${c.method} ${c.path} as ${c.as}`;
        const ctx = await contextFor(playwright, c.as);
        const res = await ctx.fetch(c.path, {
          method: c.method,
          headers: { ...authHeaders(c.as), ...c.headers },
          // A Buffer: Playwright would JSON-encode a string body that is not valid JSON.
          data: typeof c.body === 'string' ? Buffer.from(c.body) : c.body,
          maxRedirects: 0,
        });
        const text = await res.text();
        expect(res.status(), `${where}: ${text.slice(0, 300)}`).toBe(c.expect.status);
        expect(res.headers()['content-type'] ?? '', where).toContain('application/json');
        expect(res.headers()['cache-control'] ?? '', `${where}: not cached`).toContain('no-store');
        expect(res.headers()['x-content-type-options'], `${where}: the security headers`).toBe('nosniff');
        const body = JSON.parse(text) as unknown;
        expectFailureShape(body, where);
        expect(body, where).toMatchObject({ code: c.expect.code, ...(c.expect.awsCode ? { awsCode: c.expect.awsCode } : {}) });
        if (c.expect.field) expect(Object.keys(body.fieldErrors as Json), `${where}: fieldErrors`).toContain(c.expect.field);
        if (c.expect.status === 401 && takesKeys) expect(res.headers()['www-authenticate'], where).toMatch(/^Bearer realm=/);
        if (body.code === 'RATE_LIMITED' || body.code === 'AUDIT_UNAVAILABLE') expect(res.headers()['retry-after'], where).toMatch(/^\d+$/);
        failures++;
      }
    }
    console.log(`contract: ${routeFiles().length} route files, ${failures} failures checked`);
  });
});

test.describe('defects of the old shapes', () => {
  test.afterEach(async () => clearFaults());

  test('POST /api/bulk/jobs counts its body limit in bytes as it streams: 3-byte characters under the character count are refused', async () => {
    // 11 million "€" (3 bytes each in UTF-8): 33 MB, over the 32 MB + 64 KB limit, though only 11
    // million characters; sent chunked, with no Content-Length to refuse it by.
    const cookie = (JSON.parse(readFileSync(storageStateFor('qa'), 'utf8')) as { cookies: { name: string; value: string }[] }).cookies
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const chunk = new TextEncoder().encode('€'.repeat(1_000_000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"roomArn":"x","source":{"kind":"csv","csv":"'));
        if (sent < 11) {
          controller.enqueue(chunk);
          sent++;
        } else {
          controller.enqueue(new TextEncoder().encode('"}}'));
          controller.close();
        }
      },
    });
    const res = await fetch(`${E2E.baseUrl}/api/bulk/jobs`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: E2E.baseUrl },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    const failure = (await res.json()) as unknown;
    expectFailureShape(failure, 'bulk 33 MB');
    expect(failure.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a moderation call done at AWS whose audit write fails says it was done, not "nothing was changed"', async ({ playwright }) => {
    const manifest = actionManifest();
    const action = manifest.get('disconnect-user-action#disconnectUserAction')!;
    const ctx = await contextFor(playwright, 'moderator');
    const before = (await emulatorStats()).operations.DisconnectUser!.succeeded;
    // Another connection holds the SQLite write lock: the console waits its busy timeout, then fails.
    const other = new Database(join(E2E.dataDir, 'console.db'));
    other.exec('BEGIN EXCLUSIVE');
    let result: unknown;
    try {
      const res = await ctx.post(action.page, {
        headers: { 'Next-Action': action.id, Accept: 'text/x-component', 'Content-Type': 'text/plain;charset=UTF-8', Origin: E2E.baseUrl },
        data: encodeArgs([{ roomArn: SEED.qaSandbox, userId: 'audit-locked-user', reason: 'contract' }]),
        timeout: 30_000,
      });
      result = decodeActionResponse(await res.text());
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await emulatorStats()).operations.DisconnectUser!.succeeded).toBe(before + 1);
    expectFailureShape(result, 'disconnect with the audit log locked');
    expect(result.code).toBe('AUDIT_UNAVAILABLE');
    expect(result.message).toMatch(/DisconnectUser for audit-locked-user was accepted at AWS, but the audit entry could not be written/);
    expect(result.message).not.toMatch(/nothing was changed/i);
  });
});
