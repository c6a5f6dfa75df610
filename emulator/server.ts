import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ChatHub } from './chat';
import { Faults, RateWindow, Stats, parseFault, type Fault } from './control';
import { ApiError, plainInternalError, toApiError, unknownOperation, validationError, validationOther, writeError } from './errors';
import { getOperation, getShape, model, operationNames, routes, type Route } from './model';
import { handlers, type OperationContext } from './operations/index';
import type { Store } from './state';
import { verifySigV4, type Credential } from './sigv4';
import type { TokenCodec } from './tokens';
import { isPlainObject, validateInput } from './validate';

export interface ServerDeps {
  store: Store;
  codec: TokenCodec;
  credentials: Credential[];
  accountId: string;
  quotaEnabled: boolean;
  tokenTtlMs: number;
  sessionMinuteMs: number;
  log?: (line: string) => void;
}

/** Service quota for CreateChatToken (IVS Chat quotas page: 200 TPS per account). */
const CREATE_CHAT_TOKEN_TPS = 200;
const MAX_BODY_BYTES = 1024 * 1024;

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
  quotaEnabled: boolean;
  private readonly quotaWindow = new RateWindow(CREATE_CHAT_TOKEN_TPS);
  private readonly sockets = new Set<Socket>();
  /** Open connections that have carried at least one IVS Chat API request (not control, not chat). */
  private readonly apiSockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: ServerDeps) {
    this.quotaEnabled = deps.quotaEnabled;
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

    if (rawPath.startsWith('/_emulator/')) return this.handleControl(method, rawPath, body, res, requestId, req.socket);

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
      const caller = await verifySigV4({ method, rawPath, query, headers: req.headers, body }, this.deps.credentials, Date.now());
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
      const ctx: OperationContext = {
        store: this.deps.store,
        chat: this.chat,
        codec: this.deps.codec,
        stats: this.stats,
        account: this.deps.accountId,
        region: caller.region,
        now: Date.now(),
        tokenTtlMs: this.deps.tokenTtlMs,
        sessionMinuteMs: this.deps.sessionMinuteMs,
        quota: { enabled: this.quotaEnabled, window: this.quotaWindow, limit: CREATE_CHAT_TOKEN_TPS },
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
      const apiErr = toApiError(err);
      if (!(err instanceof ApiError)) this.deps.log?.(`internal error in ${operation}: ${err instanceof Error ? err.stack : String(err)}`);
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
          return writeJson(res, 200, { enabled: this.quotaEnabled, limit: CREATE_CHAT_TOKEN_TPS }, requestId);
        case 'POST /_emulator/quota': {
          const parsed = parseBody();
          if (!isPlainObject(parsed) || typeof parsed.enabled !== 'boolean') return bad('body must be {"enabled": true|false}');
          this.quotaEnabled = parsed.enabled;
          this.quotaWindow.clear();
          return writeJson(res, 200, { enabled: this.quotaEnabled, limit: CREATE_CHAT_TOKEN_TPS }, requestId);
        }
        case 'POST /_emulator/reset':
          this.stats.reset();
          this.faults.clear();
          this.quotaWindow.clear();
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
  if ('limit' in members) out.limit = type === 'ThrottlingException' ? CREATE_CHAT_TOKEN_TPS : 0;
  return out;
}
