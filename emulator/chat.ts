import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { RateWindow } from './control';
import { iso, randomId, type Room, type Store } from './state';
import type { TokenCodec, TokenGrant } from './tokens';
import { ATTRIBUTES_MAX_BYTES, attributesByteSize, codePointLength, isPlainObject } from './validate';

interface Connection {
  ws: WebSocket;
  roomArn: string;
  userId: string;
  capabilities: Set<string>;
  attributes: Record<string, string>;
  sessionTimer?: NodeJS.Timeout;
}

export interface ChatEvent {
  id: string;
  eventName: string;
  attributes?: Record<string, string>;
  requestId?: string;
}

export interface ChatHubOptions {
  store: Store;
  codec: TokenCodec;
  now: () => number;
  log?: (line: string) => void;
}

/** ERROR frame codes and texts; the texts for 429 and length are the ones AWS's own demo matches on. */
const ERR = {
  badRequest: (m: string) => [400, m] as const,
  expired: [401, 'connection has expired'] as const,
  forbidden: [403, 'the connection does not have the capability to perform this action'] as const,
  roomGone: [404, 'room not found'] as const,
  rejected: [406, 'message rejected by review'] as const,
  tooLarge: [413, 'attributes exceed maximum size of 1 KB'] as const,
  rate: [429, 'rate limit exceeded'] as const,
};

const MESSAGE_ID_RE = /^[a-zA-Z0-9]{12}$/;

export class ChatHub {
  private readonly wss = new WebSocketServer({
    noServer: true,
    // Echo the token back as the selected subprotocol; clients fail the handshake otherwise.
    handleProtocols: (protocols) => protocols.values().next().value ?? false,
  });
  private readonly byRoom = new Map<string, Set<Connection>>();
  /** jti -> token expiry; a token connects once, so we remember it until it would expire anyway. */
  private readonly usedTokens = new Map<string, number>();
  private readonly roomRates = new Map<string, RateWindow>();

  constructor(private readonly opts: ChatHubOptions) {}

  get connectionCount(): number {
    let n = 0;
    for (const set of this.byRoom.values()) n += set.size;
    return n;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const header = req.headers['sec-websocket-protocol'];
    const token = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim() ?? '';
    const now = this.opts.now();
    this.pruneUsed(now);
    const grant = token ? this.opts.codec.decode(token) : undefined;
    const refuse = (status: number, text: string, why: string): void => {
      this.opts.log?.(`WS upgrade refused ${status}: ${why}`);
      const body = JSON.stringify({ message: why });
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    if (!grant) return refuse(401, 'Unauthorized', 'invalid token');
    if (this.usedTokens.has(grant.jti)) return refuse(401, 'Unauthorized', 'token already used');
    if (grant.tokenExpiresAt <= now) return refuse(401, 'Unauthorized', 'token expired');
    if (grant.sessionExpiresAt <= now) return refuse(401, 'Unauthorized', 'session expired');
    if (!this.opts.store.getRoomByArn(grant.roomArn)) return refuse(401, 'Unauthorized', 'room not found');
    this.usedTokens.set(grant.jti, grant.tokenExpiresAt);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, grant));
  }

  private pruneUsed(now: number): void {
    if (this.usedTokens.size < 1000) return;
    for (const [jti, exp] of this.usedTokens) if (exp <= now) this.usedTokens.delete(jti);
  }

  private onConnection(ws: WebSocket, grant: TokenGrant): void {
    const conn: Connection = {
      ws,
      roomArn: grant.roomArn,
      userId: grant.userId,
      capabilities: new Set(grant.capabilities),
      attributes: grant.attributes,
    };
    let set = this.byRoom.get(conn.roomArn);
    if (!set) this.byRoom.set(conn.roomArn, (set = new Set()));
    set.add(conn);
    this.opts.log?.(`WS connected room=${conn.roomArn} (${set.size} in room)`);
    // The session is bounded by the expiry the token promised, counted from issue time.
    conn.sessionTimer = setTimeout(
      () => {
        this.sendError(conn, ERR.expired);
        conn.ws.close(1000, 'session expired');
      },
      Math.max(0, grant.sessionExpiresAt - this.opts.now()),
    );
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return this.sendError(conn, ERR.badRequest('binary frames are not supported'));
      this.onFrame(conn, data.toString());
    });
    ws.on('close', () => this.drop(conn));
    ws.on('error', () => this.drop(conn));
  }

  private drop(conn: Connection): void {
    clearTimeout(conn.sessionTimer);
    const set = this.byRoom.get(conn.roomArn);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.byRoom.delete(conn.roomArn);
  }

  private send(conn: Connection, frame: Record<string, unknown>): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(frame));
  }

  private sendError(conn: Connection, [code, message]: readonly [number, string], requestId?: string): void {
    this.send(conn, { Type: 'ERROR', Id: randomId(), RequestId: requestId, ErrorCode: code, ErrorMessage: message });
  }

  private broadcast(roomArn: string, frame: Record<string, unknown>): void {
    for (const c of this.byRoom.get(roomArn) ?? []) this.send(c, frame);
  }

  private onFrame(conn: Connection, text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.sendError(conn, ERR.badRequest('request is not valid JSON'));
    }
    if (!isPlainObject(parsed)) return this.sendError(conn, ERR.badRequest('request must be a JSON object'));
    const requestId = typeof parsed.RequestId === 'string' ? parsed.RequestId : undefined;
    const fail = (e: readonly [number, string]): void => this.sendError(conn, e, requestId);
    if (parsed.RequestId !== undefined && typeof parsed.RequestId !== 'string') return fail(ERR.badRequest('RequestId must be a string'));
    const room = this.opts.store.getRoomByArn(conn.roomArn);
    if (!room) return fail(ERR.roomGone);
    switch (parsed.Action) {
      case 'SEND_MESSAGE':
        return this.onSendMessage(conn, room, parsed, requestId, fail);
      case 'DELETE_MESSAGE': {
        if (!conn.capabilities.has('DELETE_MESSAGE')) return fail(ERR.forbidden);
        const { Id, Reason } = parsed;
        if (typeof Id !== 'string' || !MESSAGE_ID_RE.test(Id)) return fail(ERR.badRequest('Id must be a 12-character message id'));
        if (Reason !== undefined && (typeof Reason !== 'string' || codePointLength(Reason) > 256)) {
          return fail(ERR.badRequest('Reason must be a string of at most 256 characters'));
        }
        this.deleteMessage(room.arn, Id, Reason, requestId);
        return;
      }
      case 'DISCONNECT_USER': {
        if (!conn.capabilities.has('DISCONNECT_USER')) return fail(ERR.forbidden);
        const { UserId, Reason } = parsed;
        if (typeof UserId !== 'string' || UserId.length === 0 || codePointLength(UserId) > 128) {
          return fail(ERR.badRequest('UserId must be a string of 1 to 128 characters'));
        }
        if (Reason !== undefined && (typeof Reason !== 'string' || codePointLength(Reason) > 256)) {
          return fail(ERR.badRequest('Reason must be a string of at most 256 characters'));
        }
        this.disconnectUser(room.arn, UserId, Reason, requestId);
        return;
      }
      default:
        return fail(ERR.badRequest('unsupported Action'));
    }
  }

  private onSendMessage(
    conn: Connection,
    room: Room,
    req: Record<string, unknown>,
    requestId: string | undefined,
    fail: (e: readonly [number, string]) => void,
  ): void {
    if (!conn.capabilities.has('SEND_MESSAGE')) return fail(ERR.forbidden);
    const { Content, Attributes } = req;
    if (typeof Content !== 'string' || Content.length === 0) return fail(ERR.badRequest('Content is required'));
    if (Attributes !== undefined) {
      if (!isPlainObject(Attributes) || !Object.values(Attributes).every((v) => typeof v === 'string')) {
        return fail(ERR.badRequest('Attributes must be a map of strings'));
      }
      if (attributesByteSize(Attributes) > ATTRIBUTES_MAX_BYTES) return fail(ERR.tooLarge);
    }
    if (codePointLength(Content) > room.maximumMessageLength) return fail(ERR.badRequest('Message exceeds maximum length'));
    let rate = this.roomRates.get(room.arn);
    if (!rate) this.roomRates.set(room.arn, (rate = new RateWindow(room.maximumMessageRatePerSecond)));
    rate.setLimit(room.maximumMessageRatePerSecond);
    if (!rate.tryHit(room.arn, this.opts.now())) return fail(ERR.rate);
    // Lambda cannot be invoked locally: behave as AWS does when the handler fails or times out.
    if (room.messageReviewHandler?.uri && room.messageReviewHandler.fallbackResult === 'DENY') return fail(ERR.rejected);
    this.broadcast(room.arn, {
      Type: 'MESSAGE',
      Id: randomId(),
      RequestId: requestId,
      Content,
      Attributes: Attributes as Record<string, string> | undefined,
      SendTime: iso(this.opts.now()),
      Sender: { UserId: conn.userId, Attributes: conn.attributes },
    });
  }

  /** EVENT from SendEvent (control plane). */
  sendEvent(roomArn: string, ev: ChatEvent): void {
    this.broadcast(roomArn, {
      Type: 'EVENT',
      Id: ev.id,
      RequestId: ev.requestId,
      EventName: ev.eventName,
      Attributes: ev.attributes ?? {},
      SendTime: iso(this.opts.now()),
    });
  }

  deleteMessage(roomArn: string, messageId: string, reason: string | undefined, requestId?: string, id = randomId()): string {
    // MSGSDK 1.1.1 reads only the deprecated `MessageID`; current docs name `MessageId`: send both.
    const attributes: Record<string, string> = { MessageId: messageId, MessageID: messageId };
    if (reason !== undefined) attributes.Reason = reason;
    this.sendEvent(roomArn, { id, eventName: 'aws:DELETE_MESSAGE', attributes, requestId });
    return id;
  }

  disconnectUser(roomArn: string, userId: string, reason: string | undefined, requestId?: string): void {
    const attributes: Record<string, string> = { UserId: userId };
    if (reason !== undefined) attributes.Reason = reason;
    this.sendEvent(roomArn, { id: randomId(), eventName: 'aws:DISCONNECT_USER', attributes, requestId });
    for (const c of [...(this.byRoom.get(roomArn) ?? [])]) {
      if (c.userId === userId) c.ws.close(1000, 'disconnected');
    }
  }

  closeRoom(roomArn: string): void {
    for (const c of [...(this.byRoom.get(roomArn) ?? [])]) c.ws.close(1000, 'room deleted');
    this.roomRates.delete(roomArn);
  }

  async close(): Promise<void> {
    for (const set of this.byRoom.values()) {
      for (const c of set) {
        clearTimeout(c.sessionTimer);
        c.ws.terminate();
      }
    }
    this.byRoom.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
