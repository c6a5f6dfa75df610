import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ChatHub } from './chat';
import type { Accounts, Principal } from './accounts';
import { Faults, Stats, parseFault, type Fault } from './control';
import {
  ApiError,
  authError,
  plainInternalError,
  throttling,
  toApiError,
  unknownOperation,
  validationError,
  validationOther,
  writeError,
} from './errors';
import { getOperation, getShape, model, operationNames, routes, type Route } from './model';
import { handlers, type OperationContext } from './operations/index';
import { DEFAULT_RATES, parseQuotaRule, type Quotas } from './quotas';
import { parseArn, type Store } from './state';
import { AuthFailure, verifySigV4, type KnownKey } from './sigv4';
import { StsError, runStsAction, stsAuthError, stsErrorXml } from './sts';
import type { TokenCodec } from './tokens';
import { isPlainObject, validateInput } from './validate';

export interface ServerDeps {
  store: Store;
  codec: TokenCodec;
  accounts: Accounts;
  quotas: Quotas;
  tokenTtlMs: number;
  sessionMinuteMs: number;
  /** Milliseconds in one second of AssumeRole's DurationSeconds (test hook). */
  stsSecondMs: number;
  /** The listen address: control requests must name it (or a loopback name) in Host. */
  host: string;
  log?: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * CORS as the service declares it (Smithy cors trait: origin "*", max age 600 s, the exposed
 * headers the model lists); allowed request headers are the ones the SDKs send, SigV4 included.
 */
const CORS_EXPOSE = 'x-amzn-errortype,x-amzn-requestid,x-amzn-errormessage,x-amzn-trace-id,x-amz-apigw-id,date';
const CORS_ALLOW_HEADERS = [
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'authorization',
  'content-type',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-user-agent',
  'x-amzn-trace-id',
];
const CORS_MAX_AGE = '600';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function hostnameOf(hostHeader: string): string {
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0];
}

/** The resource a throttled request named, for ThrottlingException.resourceId (required by the model). */
function throttledResourceId(input: Record<string, unknown>): string {
  for (const k of ['roomIdentifier', 'identifier', 'resourceArn']) {
    const v = input[k];
    if (typeof v === 'string') return parseArn(v)?.id ?? v;
  }
  return '';
}

for (const name of operationNames) {
  if (!handlers[name]) throw new Error(`no handler for model operation ${name}`);
}

function matchRoute(method: string, path: string): { route: Route; label?: string } | { pathMatched: boolean } {
  let pathMatched = false;
  for (const route of routes) {
    let label: string | undefined;
    if (route.literal !== undefined) {
      if (path !== route.literal && path !== `${route.literal}/`) continue;
    } else if (route.prefix !== undefined) {
      if (!path.startsWith(route.prefix) || path.length === route.prefix.length) continue;
      label = path.slice(route.prefix.length);
    }
    pathMatched = true;
    if (route.method === method) return { route, label };
  }
  return { pathMatched };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function writeJson(res: ServerResponse, status: number, body: unknown, requestId: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  res.end(text);
}

/** Builds the operation input from URI label, query string and JSON body as the model places them. */
function buildInput(operation: string, label: string | undefined, query: URLSearchParams, body: Buffer): Record<string, unknown> {
  const op = getOperation(operation);
  let input: Record<string, unknown> = {};
  const members = op.input ? (getShape(op.input.shape).members ?? {}) : {};
  const hasBodyMembers = Object.values(members).some((m) => m.location === undefined);
  if (hasBodyMembers && body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw validationOther('Could not parse request body into json: the body is not valid JSON');
    }
    if (!isPlainObject(parsed)) throw validationOther('Request body must be a JSON object');
    input = Object.fromEntries(Object.entries(parsed).filter(([k]) => members[k]?.location === undefined));
  }
  for (const [name, ref] of Object.entries(members)) {
    const key = ref.locationName ?? name;
    if (ref.location === 'uri' && label !== undefined) {
      try {
        input[name] = decodeURIComponent(label);
      } catch {
        throw validationError([{ name, message: 'Member is not correctly percent-encoded' }]);
      }
    } else if (ref.location === 'querystring') {
      const all = query.getAll(key);
      if (all.length > 0) input[name] = getShape(ref.shape).type === 'list' ? all : all[0];
    }
  }
  return input;
}

export class EmulatorServer {
  readonly server: Server;
  readonly chat: ChatHub;
  readonly stats = new Stats();
  readonly faults = new Faults();
  private readonly sockets = new Set<Socket>();
  /** Open connections that have carried at least one IVS Chat API request (not control, not chat). */
  private readonly apiSockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: ServerDeps) {
    this.chat = new ChatHub({ store: deps.store, codec: deps.codec, now: () => Date.now(), log: deps.log });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        deps.log?.(`internal error: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) writeError(res, toApiError(err), randomUUID());
      });
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => {
        this.sockets.delete(s);
        this.apiSockets.delete(s);
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => this.chat.handleUpgrade(req, socket, head));
  }

  addFault(f: Fault): void {
    this.faults.add(f);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const qIdx = rawUrl.indexOf('?');
    const rawPath = qIdx < 0 ? rawUrl : rawUrl.slice(0, qIdx);
    const query = new URLSearchParams(qIdx < 0 ? '' : rawUrl.slice(qIdx + 1));
    const body = await readBody(req);

    if (rawPath === '/_emulator' || rawPath.startsWith('/_emulator/')) {
      const refusal = this.refuseControl(req, method);
      if (refusal) {
        this.deps.log?.(`${method} ${rawPath} -> 403 control request refused: ${refusal}`);
        return writeJson(res, 403, { message: `control endpoint refused: ${refusal}` }, requestId);
      }
      return this.handleControl(method, rawPath, body, res, requestId, req.socket);
    }
    if (rawPath === '/') return this.handleSts(req, method, query, body, res, requestId);

    // Every IVS Chat API answer carries the CORS headers the service declares.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE);
    if (method === 'OPTIONS' && headerOf(req, 'access-control-request-method')) return this.preflight(rawPath, res, requestId);

    const matched = matchRoute(method, rawPath);
    if (!('route' in matched)) {
      this.deps.log?.(`${method} ${rawPath} -> unknown operation`);
      return writeError(res, unknownOperation(method, rawPath), requestId);
    }
    const operation = matched.route.operation;
    if (!req.socket.destroyed) this.apiSockets.add(req.socket);
    const counters = this.stats.operations[operation];
    counters.received += 1;
    let status = 0;
    try {
      const caller = await this.verify({ method, rawPath, query, headers: req.headers, body }, 'ivschat');
      const fault = this.faults.take(operation);
      if (fault?.delayMs) await this.sleep(fault.delayMs);
      if (fault?.hang) {
        status = -1;
        return; // never answered; close() destroys the socket
      }
      if (fault?.drop === 'before') {
        status = -1;
        req.socket.destroy();
        return;
      }
      if (fault?.error) {
        throw fault.error === 'InternalServerError'
          ? plainInternalError()
          : new ApiError(fault.error, fault.message ?? `Injected fault: ${fault.error}`, faultMembers(fault.error));
      }
      const input = buildInput(operation, matched.label, query, body);
      const errors = validateInput(operation, input);
      if (errors.length > 0) throw validationError(errors);
      const now = Date.now();
      // Service quotas are per account and region, each operation on its own.
      const limit = this.deps.quotas.hit(caller.principal.account, caller.region, operation, now);
      this.stats.countCall(caller.principal.account, caller.region, operation, limit !== undefined);
      this.stats.countCaller(caller.principal.accessKeyId, operation, limit !== undefined, now, this.deps.quotas.window);
      if (limit !== undefined) throw throttling(throttledResourceId(input), limit);
      const ctx: OperationContext = {
        store: this.deps.store,
        chat: this.chat,
        codec: this.deps.codec,
        stats: this.stats,
        account: caller.principal.account,
        region: caller.region,
        now,
        tokenTtlMs: this.deps.tokenTtlMs,
        sessionMinuteMs: this.deps.sessionMinuteMs,
      };
      const output = handlers[operation](input, ctx);
      if (fault?.drop === 'after') {
        status = -1;
        req.socket.destroy();
        return;
      }
      status = getOperation(operation).http.responseCode ?? 200;
      if (status === 204 || output === undefined) {
        res.writeHead(status, { 'x-amzn-RequestId': requestId });
        res.end();
      } else {
        writeJson(res, status, output, requestId);
      }
    } catch (err) {
      const apiErr = err instanceof AuthFailure ? authError(err) : toApiError(err);
      if (!(err instanceof ApiError) && !(err instanceof AuthFailure))
        this.deps.log?.(`internal error in ${operation}: ${err instanceof Error ? err.stack : String(err)}`);
      status = apiErr.status;
      writeError(res, apiErr, requestId);
      this.deps.log?.(`${method} ${operation} -> ${status} ${apiErr.type} (${Date.now() - started}ms)`);
      return;
    } finally {
      if (status >= 200 && status < 300) counters.succeeded += 1;
      else if (status !== 0) counters.failed += 1;
    }
    this.deps.log?.(`${method} ${operation} -> ${status} (${Date.now() - started}ms)`);
  }

  /** Resolves an access key id to its secret (and session token and expiry for temporary credentials). */
  private lookupKey = (accessKeyId: string): KnownKey | undefined => {
    const session = this.deps.accounts.session(accessKeyId);
    if (session) return { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiresAt: session.expiresAt };
    const key = this.deps.accounts.longTermKey(accessKeyId);
    return key ? { secretAccessKey: key.secretAccessKey } : undefined;
  };

  private async verify(
    req: Parameters<typeof verifySigV4>[0],
    service: string,
  ): Promise<{ principal: Principal; region: string; accessKeyId: string }> {
    const caller = await verifySigV4(req, this.lookupKey, Date.now(), service);
    const session = this.deps.accounts.session(caller.accessKeyId);
    const principal = session ? this.deps.accounts.principalForSession(session) : this.deps.accounts.principalForKey(caller.accessKeyId)!;
    return { ...caller, principal };
  }

  /** STS on the same endpoint (AWS query protocol: `Action=...` in a form body or the query string). */
  private async handleSts(
    req: IncomingMessage,
    method: string,
    query: URLSearchParams,
    body: Buffer,
    res: ServerResponse,
    requestId: string,
  ): Promise<void> {
    const started = Date.now();
    let params = query;
    if (method === 'POST') {
      params = new URLSearchParams(body.toString('utf8'));
      for (const [k, v] of query) if (!params.has(k)) params.append(k, v);
    }
    const action = params.get('Action') ?? '(none)';
    const counters = (this.stats.sts[action === 'AssumeRole' || action === 'GetCallerIdentity' ? action : 'other'] ??= {
      received: 0,
      succeeded: 0,
      failed: 0,
    });
    counters.received += 1;
    const send = (status: number, xml: string): void => {
      if (status === 200) counters.succeeded += 1;
      else counters.failed += 1;
      res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml), 'x-amzn-RequestId': requestId });
      res.end(xml);
      this.deps.log?.(`${method} sts:${action} -> ${status} (${Date.now() - started}ms)`);
    };
    try {
      if (method !== 'POST' && method !== 'GET') throw new StsError('InvalidAction', `Could not find operation for ${method}`, 400);
      const rawQuery = new URLSearchParams(query);
      const caller = await this.verify({ method, rawPath: '/', query: rawQuery, headers: req.headers, body }, 'sts');
      const xml = runStsAction(
        params,
        { accounts: this.deps.accounts, caller: caller.principal, now: Date.now(), secondMs: this.deps.stsSecondMs },
        requestId,
      );
      send(200, xml);
    } catch (err) {
      const stsErr =
        err instanceof StsError
          ? err
          : err instanceof AuthFailure
            ? stsAuthError(err)
            : new StsError(
                'InternalFailure',
                'The request processing has failed because of an unknown error, exception or failure.',
                500,
                'Receiver',
              );
      if (!(err instanceof StsError) && !(err instanceof AuthFailure))
        this.deps.log?.(`internal error in STS: ${err instanceof Error ? err.stack : String(err)}`);
      send(stsErr.status, stsErrorXml(stsErr, requestId));
    }
  }

  /** CORS preflight for an API path: the methods the model routes there, the headers the SDKs send. */
  private preflight(rawPath: string, res: ServerResponse, requestId: string): void {
    const methods = [...new Set(['GET', 'POST', 'DELETE'].filter((m) => 'route' in matchRoute(m, rawPath)))];
    if (methods.length === 0) return writeError(res, unknownOperation('OPTIONS', rawPath), requestId);
    res.writeHead(200, {
      'Access-Control-Allow-Methods': methods.join(','),
      'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS.join(','),
      'Access-Control-Max-Age': CORS_MAX_AGE,
      'Content-Length': 0,
      'x-amzn-RequestId': requestId,
    });
    res.end();
  }

  /**
   * The control endpoints arm faults and switch quotas, so no web page may drive them: a request
   * a page can send cross-site without a CORS preflight is refused (a POST must be
   * application/json), as is any Origin but the emulator's own, any Host but the emulator's
   * (DNS rebinding), and a browser's own cross-site marker. No CORS header is ever granted here,
   * so a preflight for a JSON POST fails in the browser.
   */
  private refuseControl(req: IncomingMessage, method: string): string | undefined {
    const host = headerOf(req, 'host') ?? '';
    const hostname = hostnameOf(host);
    const listen = this.deps.host.includes(':') ? `[${this.deps.host}]` : this.deps.host;
    const anyAddress = this.deps.host === '0.0.0.0' || this.deps.host === '::';
    if (!anyAddress && !LOOPBACK_HOSTS.has(hostname) && hostname !== listen) return `Host ${host || '(none)'} is not this emulator`;
    const origin = headerOf(req, 'origin');
    if (origin !== undefined && origin !== `http://${host}`) return `Origin ${origin} is not this emulator`;
    const site = headerOf(req, 'sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} browser request`;
    if (method === 'OPTIONS') return 'no CORS on control endpoints';
    if (method !== 'GET' && method !== 'HEAD' && method !== 'DELETE') {
      const type = (headerOf(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') return `${method} needs Content-Type: application/json`;
    }
    return undefined;
  }

  /**
   * Open TCP connections to this server, not counting `asking` (the connection a stats request
   * came on): all of them (HTTP keep-alive, pending requests, chat WebSockets), and those that
   * carried an IVS Chat API request. A client that gave up on a hung call and closed its socket
   * leaves nothing behind here.
   */
  openConnections(asking?: Socket): { http: number; api: number } {
    const other = (set: Set<Socket>) => set.size - (asking && set.has(asking) ? 1 : 0);
    return { http: other(this.sockets), api: other(this.apiSockets) };
  }

  private handleControl(method: string, path: string, body: Buffer, res: ServerResponse, requestId: string, socket: Socket): void {
    const parseBody = (): unknown => {
      if (body.length === 0) return {};
      return JSON.parse(body.toString('utf8'));
    };
    const bad = (message: string): void => writeJson(res, 400, { message }, requestId);
    try {
      switch (`${method} ${path.replace(/\/$/, '')}`) {
        case 'GET /_emulator/health':
          return writeJson(res, 200, { ok: true, service: model.metadata.serviceId }, requestId);
        case 'GET /_emulator/stats':
          return writeJson(
            res,
            200,
            {
              operations: this.stats.operations,
              sts: this.stats.sts,
              accounts: this.stats.accounts,
              callers: this.stats.callers,
              tokensIssued: this.stats.tokensIssued,
              connections: this.chat.connectionCount,
              httpConnections: this.openConnections(socket).http,
              apiConnections: this.openConnections(socket).api,
            },
            requestId,
          );
        case 'GET /_emulator/faults':
          return writeJson(res, 200, { faults: this.faults.listAll() }, requestId);
        case 'POST /_emulator/faults': {
          const fault = parseFault(parseBody());
          this.faults.add(fault);
          return writeJson(res, 200, { fault }, requestId);
        }
        case 'DELETE /_emulator/faults':
          this.faults.clear();
          return writeJson(res, 200, { faults: [] }, requestId);
        case 'GET /_emulator/quota':
          return writeJson(res, 200, this.deps.quotas.describe(), requestId);
        case 'POST /_emulator/quota': {
          const parsed = parseBody();
          if (!isPlainObject(parsed)) return bad('body must be a JSON object');
          const { windowMs, ...ruleFields } = parsed;
          if (
            windowMs !== undefined &&
            (typeof windowMs !== 'number' || !Number.isInteger(windowMs) || windowMs < 1 || windowMs > 3_600_000)
          ) {
            return bad('windowMs must be an integer number of milliseconds, 1..3600000');
          }
          const scoped = ['account', 'region', 'operation', 'operations', 'rate'].some((k) => k in ruleFields);
          if (!scoped && Object.keys(ruleFields).length === 0 && windowMs === undefined) {
            return bad('body must set enabled, rate (optionally scoped by account, region, operation(s)) or windowMs');
          }
          if (!scoped && Object.keys(ruleFields).length > 0) {
            if (typeof ruleFields.enabled !== 'boolean' || Object.keys(ruleFields).length !== 1)
              return bad('body must be {"enabled": true|false}');
            this.deps.quotas.setEnabled(ruleFields.enabled);
          } else if (scoped) {
            this.deps.quotas.addRule(parseQuotaRule(ruleFields, 'body'));
          }
          if (windowMs !== undefined) this.deps.quotas.setWindow(windowMs);
          return writeJson(res, 200, this.deps.quotas.describe(), requestId);
        }
        case 'DELETE /_emulator/quota':
          this.deps.quotas.restore();
          return writeJson(res, 200, this.deps.quotas.describe(), requestId);
        case 'GET /_emulator/accounts':
          return writeJson(res, 200, { defaultAccount: this.deps.accounts.defaultAccount, accounts: this.deps.accounts.list() }, requestId);
        case 'POST /_emulator/reset':
          this.stats.reset();
          this.faults.clear();
          this.deps.quotas.clearWindows();
          return writeJson(res, 200, { ok: true }, requestId);
        default:
          return writeJson(res, 404, { message: `unknown control endpoint ${method} ${path}` }, requestId);
      }
    } catch (err) {
      return bad(err instanceof Error ? err.message : String(err));
    }
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.chat.close();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await done;
  }
}

/** Members an injected modelled error must carry so SDKs can deserialize it. */
function faultMembers(type: string): Record<string, unknown> {
  const members = getShape(type).members ?? {};
  const out: Record<string, unknown> = {};
  if ('reason' in members) out.reason = 'OTHER';
  if ('resourceId' in members) out.resourceId = 'EmulatorFault';
  if ('resourceType' in members) out.resourceType = 'ROOM';
  if ('limit' in members) out.limit = type === 'ThrottlingException' ? DEFAULT_RATES.CreateChatToken : 0;
  return out;
}
