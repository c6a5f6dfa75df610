import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { authErrors } from './errors';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

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

const SIGNING_SERVICE = 'ivschat';
// AWS allows 5 minutes; a local tool sits next to containers and VMs with drifting clocks.
const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9\-;]+),\s*Signature=([0-9a-f]{64})$/;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
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
export async function verifySigV4(req: IncomingSigned, credentials: readonly Credential[], now: number): Promise<VerifiedCaller> {
  const auth = headerValue(req.headers, 'authorization');
  if (!auth) throw authErrors.missing();
  const m = AUTH_RE.exec(auth.trim());
  if (!m) throw authErrors.badSignature();
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = m;
  const cred = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!cred) throw authErrors.unknownKey();
  if (service !== SIGNING_SERVICE) {
    throw authErrors.scope(`Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`);
  }
  const amzDate = headerValue(req.headers, 'x-amz-date');
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!signingDate) throw authErrors.badSignature();
  if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) throw authErrors.skew();
  if (amzDate!.slice(0, 8) !== scopeDate) {
    throw authErrors.scope(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate!.slice(0, 8)}'`,
    );
  }

  const declaredHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (declaredHash && declaredHash !== 'UNSIGNED-PAYLOAD') {
    const actual = createHash('sha256').update(req.body).digest('hex');
    if (actual !== declaredHash) throw authErrors.badSignature();
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
    credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey },
    region,
    service: SIGNING_SERVICE,
    sha256: Sha256,
    // Only hash what the client declared: botocore does not send x-amz-content-sha256 for ivschat.
    applyChecksum: false,
    uriEscapePath: true,
  });
  const signed = await signer.sign(request, {
    signingDate,
    signingRegion: region,
    signingService: SIGNING_SERVICE,
    signableHeaders: new Set(signedHeaders),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw authErrors.badSignature();
  return { accessKeyId, region };
}
