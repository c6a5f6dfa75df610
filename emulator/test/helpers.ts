import { Sha256 } from '@aws-crypto/sha256-js';
import { IvschatClient } from '@aws-sdk/client-ivschat';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../index';

export const ACCOUNT = '123456789012';
export const SEED = {
  mainStage: `arn:aws:ivschat:us-east-1:${ACCOUNT}:room/MainStage001`,
  qaSandbox: `arn:aws:ivschat:us-east-1:${ACCOUNT}:room/QaSandbox001`,
  qaLoad: `arn:aws:ivschat:us-east-1:${ACCOUNT}:room/QaLoadTest01`,
  supportRepro: `arn:aws:ivschat:us-west-2:${ACCOUNT}:room/SupportRepr1`,
  euCommunity: `arn:aws:ivschat:eu-west-1:${ACCOUNT}:room/EuCommunity1`,
  loggingUsEast1: `arn:aws:ivschat:us-east-1:${ACCOUNT}:logging-configuration/LgCfgUsE1a01`,
};

export function start(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...opts });
}

export function client(
  emu: RunningEmulator,
  region = 'us-east-1',
  credentials = { accessKeyId: 'test', secretAccessKey: 'test' },
): IvschatClient {
  return new IvschatClient({ endpoint: emu.endpoint, region, credentials, maxAttempts: 1 });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function toRaw(res: Response): Promise<RawResponse> {
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {
    // leave empty: 204 or non-JSON
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** SigV4-signed request with an arbitrary body, for inputs the SDK would not let us build. */
export async function signedFetch(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: string,
  opts: {
    query?: Record<string, string | string[]>;
    region?: string;
    secret?: string;
    accessKeyId?: string;
    /** Signed as x-amz-security-token (temporary credentials). */
    sessionToken?: string;
    /** Sign as if the client's clock read this. */
    signingDate?: Date;
    service?: string;
    contentType?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const url = new URL(emu.endpoint);
  const request = new HttpRequest({
    method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: opts.query ?? {},
    headers: {
      host: url.host,
      ...(body !== undefined ? { 'content-type': opts.contentType ?? 'application/json' } : {}),
      ...opts.headers,
    },
    body,
  });
  const signer = new SignatureV4({
    credentials: { accessKeyId: opts.accessKeyId ?? 'test', secretAccessKey: opts.secret ?? 'test', sessionToken: opts.sessionToken },
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'ivschat',
    sha256: Sha256,
  });
  const signed = await signer.sign(request, opts.signingDate ? { signingDate: opts.signingDate } : {});
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  const q = qs.toString();
  const headers = { ...signed.headers };
  delete headers.host;
  const res = await fetch(`${emu.endpoint}${path}${q ? `?${q.replace(/\+/g, '%20')}` : ''}`, {
    method,
    headers,
    body,
  });
  return toRaw(res);
}

export async function rawFetch(emu: RunningEmulator, path: string, init: RequestInit = {}): Promise<RawResponse> {
  return toRaw(await fetch(`${emu.endpoint}${path}`, init));
}

export async function stats(emu: RunningEmulator): Promise<{
  operations: Record<string, { received: number; succeeded: number; failed: number }>;
  sts: Record<string, { received: number; succeeded: number; failed: number }>;
  accounts: Record<string, Record<string, { calls: number; throttled: number }>>;
  tokensIssued: number;
  connections: number;
  httpConnections: number;
  apiConnections: number;
}> {
  const r = await rawFetch(emu, '/_emulator/stats');
  return r.json as never;
}

export async function control(emu: RunningEmulator, path: string, body?: unknown, method = 'POST'): Promise<RawResponse> {
  return rawFetch(emu, `/_emulator/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until the predicate holds; chat events arrive asynchronously. */
export async function waitFor(pred: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
