import type { Accounts, Principal } from './accounts';
import { parseRoleArn } from './accounts';
import type { AuthFailure, AuthFailureKind } from './sigv4';

/**
 * AWS STS (2011-06-15) in the AWS query protocol: form-encoded `Action=...&Version=...` (POST
 * body, or the query string of a GET), SigV4 with service `sts`, XML answers and XML error
 * bodies as STS sends them. AssumeRole and GetCallerIdentity only.
 */

export const STS_VERSION = '2011-06-15';
const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

const AUTH_CODES: Record<AuthFailureKind, [string, number]> = {
  missing: ['MissingAuthenticationToken', 403],
  unknownKey: ['InvalidClientTokenId', 403],
  badSignature: ['SignatureDoesNotMatch', 403],
  skew: ['SignatureDoesNotMatch', 403],
  scope: ['SignatureDoesNotMatch', 403],
  expired: ['ExpiredToken', 400],
};

export function stsAuthError(f: AuthFailure): StsError {
  const [code, status] = AUTH_CODES[f.kind];
  return new StsError(code, f.kind === 'missing' ? 'Request is missing Authentication Token' : f.message, status);
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function stsErrorXml(err: StsError, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}">\n` +
    `  <Error>\n    <Type>${err.type}</Type>\n    <Code>${xmlEscape(err.code)}</Code>\n    <Message>${xmlEscape(err.message)}</Message>\n  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`
  );
}

function response(action: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${XMLNS}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`
  );
}

/** STS's (Coral's) validation wording: "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: ...". */
interface Violation {
  value: string | null;
  member: string;
  constraint: string;
}

function validationError(violations: Violation[]): StsError {
  const n = violations.length;
  const parts = violations.map(
    (v) => `Value ${v.value === null ? 'null' : `'${v.value}'`} at '${v.member}' failed to satisfy constraint: ${v.constraint}`,
  );
  return new StsError('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${parts.join('; ')}`, 400);
}

interface StringRule {
  member: string;
  required?: boolean;
  min: number;
  max: number;
  pattern?: { re: RegExp; text: string };
}

function checkString(value: string | undefined, rule: StringRule, out: Violation[]): void {
  if (value === undefined) {
    if (rule.required) out.push({ value: null, member: rule.member, constraint: 'Member must not be null' });
    return;
  }
  const length = [...value].length;
  if (length < rule.min)
    out.push({ value, member: rule.member, constraint: `Member must have length greater than or equal to ${rule.min}` });
  if (length > rule.max) out.push({ value, member: rule.member, constraint: `Member must have length less than or equal to ${rule.max}` });
  if (rule.pattern && !rule.pattern.re.test(value)) {
    out.push({ value, member: rule.member, constraint: `Member must satisfy regular expression pattern: ${rule.pattern.text}` });
  }
}

// Patterns from the STS API reference (RoleSessionName, SourceIdentity: [\w+=,.@-]*; ExternalId: [\w+=,.@:\/-]*).
const NAME_PATTERN = { re: /^[\w+=,.@-]*$/, text: '[\\w+=,.@-]*' };
const EXTERNAL_ID_PATTERN = { re: /^[\w+=,.@:/-]*$/, text: '[\\w+=,.@:\\/-]*' };

export const MIN_DURATION = 900;
export const MAX_DURATION = 43200;
const DEFAULT_DURATION = 3600;
/** A role assumed with role-session credentials (role chaining) is limited to one hour. */
const CHAINED_MAX = 3600;

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface StsContext {
  accounts: Accounts;
  caller: Principal;
  now: number;
  /** Milliseconds in one second of DurationSeconds (test hook; default 1000). */
  secondMs: number;
}

function accessDenied(caller: Principal, roleArn: string): StsError {
  return new StsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
}

function assumeRole(params: URLSearchParams, ctx: StsContext, requestId: string): string {
  const get = (k: string): string | undefined => params.get(k) ?? undefined;
  const roleArn = get('RoleArn');
  const sessionName = get('RoleSessionName');
  const externalId = get('ExternalId');
  const sourceIdentity = get('SourceIdentity');
  const durationRaw = get('DurationSeconds');
  const violations: Violation[] = [];
  checkString(roleArn, { member: 'roleArn', required: true, min: 20, max: 2048 }, violations);
  checkString(sessionName, { member: 'roleSessionName', required: true, min: 2, max: 64, pattern: NAME_PATTERN }, violations);
  checkString(externalId, { member: 'externalId', min: 2, max: 1224, pattern: EXTERNAL_ID_PATTERN }, violations);
  checkString(sourceIdentity, { member: 'sourceIdentity', min: 2, max: 64, pattern: NAME_PATTERN }, violations);
  let duration = DEFAULT_DURATION;
  if (durationRaw !== undefined) {
    if (!/^-?\d+$/.test(durationRaw)) {
      throw new StsError('MalformedInput', `Value '${durationRaw}' for parameter DurationSeconds is invalid. Must be an integer.`, 400);
    }
    duration = Number(durationRaw);
    if (duration < MIN_DURATION) {
      violations.push({
        value: durationRaw,
        member: 'durationSeconds',
        constraint: `Member must have value greater than or equal to ${MIN_DURATION}`,
      });
    }
    if (duration > MAX_DURATION) {
      violations.push({
        value: durationRaw,
        member: 'durationSeconds',
        constraint: `Member must have value less than or equal to ${MAX_DURATION}`,
      });
    }
  }
  if (violations.length > 0) throw validationError(violations);
  // A session that carries a source identity cannot assume a role with a different one.
  const inherited = ctx.caller.session?.sourceIdentity;
  if (inherited !== undefined && sourceIdentity !== undefined && sourceIdentity !== inherited) {
    throw accessDenied(ctx.caller, roleArn!);
  }

  // A role that does not exist, does not trust the caller or wants another external id: the same AccessDenied.
  const role = parseRoleArn(roleArn!) ? ctx.accounts.role(roleArn!) : undefined;
  if (!role || !ctx.accounts.trusts(role, ctx.caller)) throw accessDenied(ctx.caller, roleArn!);
  if (role.externalId !== undefined && externalId !== role.externalId) throw accessDenied(ctx.caller, roleArn!);

  if (ctx.caller.session && duration > CHAINED_MAX) {
    throw new StsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      400,
    );
  }
  if (duration > (role.maxSessionDuration ?? 3600)) {
    throw new StsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
  }

  // Expiration is reported to the second, so the session ends at the reported second.
  const expiresAt = Math.floor((ctx.now + duration * ctx.secondMs) / 1000) * 1000;
  const s = ctx.accounts.issue(role, sessionName!, expiresAt, sourceIdentity ?? inherited);
  const result =
    (s.sourceIdentity !== undefined ? `    <SourceIdentity>${xmlEscape(s.sourceIdentity)}</SourceIdentity>\n` : '') +
    `    <AssumedRoleUser>\n      <AssumedRoleId>${xmlEscape(s.assumedRoleId)}</AssumedRoleId>\n      <Arn>${xmlEscape(s.assumedRoleArn)}</Arn>\n    </AssumedRoleUser>\n` +
    `    <Credentials>\n      <AccessKeyId>${s.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${s.secretAccessKey}</SecretAccessKey>\n` +
    `      <SessionToken>${s.sessionToken}</SessionToken>\n      <Expiration>${isoSeconds(s.expiresAt)}</Expiration>\n    </Credentials>\n`;
  return response('AssumeRole', result, requestId);
}

function getCallerIdentity(ctx: StsContext, requestId: string): string {
  const c = ctx.caller;
  const result = `    <Arn>${xmlEscape(c.arn)}</Arn>\n    <UserId>${xmlEscape(c.userId)}</UserId>\n    <Account>${c.account}</Account>\n`;
  return response('GetCallerIdentity', result, requestId);
}

/** Runs one signed STS action; throws StsError. */
export function runStsAction(params: URLSearchParams, ctx: StsContext, requestId: string): string {
  const action = params.get('Action');
  const version = params.get('Version');
  if (version !== null && version !== STS_VERSION) {
    throw new StsError('InvalidAction', `Could not find operation ${action ?? ''} for version ${version}`, 400);
  }
  switch (action) {
    case 'AssumeRole':
      return assumeRole(params, ctx, requestId);
    case 'GetCallerIdentity':
      return getCallerIdentity(ctx, requestId);
    case null:
      throw new StsError('MissingAction', 'Missing Action', 400);
    default:
      throw new StsError('InvalidAction', `Could not find operation ${action} for version ${version ?? STS_VERSION}`, 400);
  }
}
