import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What a key id resolves to: its secret and, for temporary credentials, the session token and expiry. */
export interface KnownKey {
  secretAccessKey: string;
  sessionToken?: string;
  expiresAt?: number;
}

export type AuthFailureKind = 'missing' | 'unknownKey' | 'badSignature' | 'skew' | 'scope' | 'expired';

/**
 * Why a signature was refused, independent of protocol: IVS Chat (restJson1) and STS (query)
 * name the same failures differently, so each maps the kind to its own wire error.
 */
export class AuthFailure extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

export interface IncomingSigned {
  method: string;
  /** Raw (still percent-encoded) path, without the query string. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface VerifiedCaller {
  accessKeyId: string;
  region: string;
}

/** AWS's limit for the difference between X-Amz-Date and the server's clock. */
export const MAX_SKEW_MS = 5 * 60 * 1000;
const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9\-;]+),\s*Signature=([0-9a-f]{64})$/;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The texts AWS's front ends give, e.g. "Signature expired: 20190101T000000Z is now earlier than 20190101T000500Z (20190101T001000Z - 5 min.)". */
function skewMessage(signed: number, now: number): string {
  if (signed < now) {
    return `Signature expired: ${amzDate(signed)} is now earlier than ${amzDate(now - MAX_SKEW_MS)} (${amzDate(now)} - 5 min.)`;
  }
  return `Signature not yet current: ${amzDate(signed)} is still later than ${amzDate(now + MAX_SKEW_MS)} (${amzDate(now)} + 5 min.)`;
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

/**
 * Re-signs the request with the secret we know for its access key, using the maintained signer,
 * and compares signatures; hand-rolled canonicalisation is where SigV4 checks usually go wrong.
 */
export async function verifySigV4(
  req: IncomingSigned,
  lookup: (accessKeyId: string) => KnownKey | undefined,
  now: number,
  signingService: string,
): Promise<VerifiedCaller> {
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) throw new AuthFailure('missing', 'Missing Authentication Token');
  const m = AUTH_RE.exec(auth.trim());
  if (!m) throw new AuthFailure('badSignature', SIGNATURE_MISMATCH);
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = m;
  const cred = lookup(accessKeyId);
  if (!cred) throw new AuthFailure('unknownKey', INVALID_TOKEN);
  if (cred.sessionToken !== undefined) {
    // Temporary credentials are only valid together with their session token.
    const token = headerValue(req.headers, 'x-amz-security-token');
    const a = Buffer.from(token ?? '');
    const b = Buffer.from(cred.sessionToken);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AuthFailure('unknownKey', INVALID_TOKEN);
    if (cred.expiresAt !== undefined && now >= cred.expiresAt) throw new AuthFailure('expired', EXPIRED_TOKEN);
  }
  if (service !== signingService) {
    throw new AuthFailure('scope', `Credential should be scoped to correct service: '${signingService}'.`);
  }
  const amzDateHeader = headerValue(req.headers, 'x-amz-date');
  const signingDate = amzDateHeader ? parseAmzDate(amzDateHeader) : undefined;
  if (!signingDate) throw new AuthFailure('badSignature', SIGNATURE_MISMATCH);
  if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) throw new AuthFailure('skew', skewMessage(signingDate.getTime(), now));
  if (amzDateHeader!.slice(0, 8) !== scopeDate) {
    throw new AuthFailure(
      'scope',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDateHeader!.slice(0, 8)}', from '${amzDateHeader}'.`,
    );
  }

  const declaredHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (declaredHash && declaredHash !== 'UNSIGNED-PAYLOAD') {
    const actual = createHash('sha256').update(req.body).digest('hex');
    if (actual !== declaredHash) throw new AuthFailure('badSignature', SIGNATURE_MISMATCH);
  }

  const signedHeaders = signedHeaderList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const v = headerValue(req.headers, name);
    if (v !== undefined) headers[name] = v;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(req.query.keys())) {
    const all = req.query.getAll(key);
    query[key] = all.length === 1 ? all[0] : all;
  }
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: headerValue(req.headers, 'host') ?? 'localhost',
    path: req.rawPath,
    query,
    headers,
    body: req.body.length > 0 ? req.body : undefined,
  });
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: cred.secretAccessKey },
    region,
    service: signingService,
    sha256: Sha256,
    // Only hash what the client declared: botocore does not send x-amz-content-sha256 for ivschat.
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(request, {
    signingDate,
    signingRegion: region,
    signingService,
    signableHeaders: new Set(signedHeaders),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AuthFailure('badSignature', SIGNATURE_MISMATCH);
  return { accessKeyId, region };
}
