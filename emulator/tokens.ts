import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isPlainObject } from './validate';

/** What a chat token grants; encrypted into the token so the WebSocket side needs no lookup. */
export interface TokenGrant {
  roomArn: string;
  userId: string;
  capabilities: string[];
  attributes: Record<string, string>;
  /** Epoch ms. */
  sessionExpiresAt: number;
  tokenExpiresAt: number;
  jti: string;
}

// Real tokens start like a KMS ciphertext blob ("AQICAH…"); keeping the look helps people who
// eyeball logs, and every character stays inside the WebSocket subprotocol (RFC 7230 token) set.
const PREFIX = 'AQICAH';

export class TokenCodec {
  private readonly key = randomBytes(32);

  encode(grant: TokenGrant): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(JSON.stringify(grant), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return PREFIX + Buffer.concat([iv, tag, ct]).toString('base64url');
  }

  /** Returns undefined for anything not minted by this process or altered since. */
  decode(token: string): TokenGrant | undefined {
    if (!token.startsWith(PREFIX) || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
    const raw = Buffer.from(token.slice(PREFIX.length), 'base64url');
    if (raw.length < 12 + 16 + 2) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const parsed: unknown = JSON.parse(text);
      return isGrant(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

function isGrant(v: unknown): v is TokenGrant {
  return (
    isPlainObject(v) &&
    typeof v.roomArn === 'string' &&
    typeof v.userId === 'string' &&
    Array.isArray(v.capabilities) &&
    isPlainObject(v.attributes) &&
    typeof v.sessionExpiresAt === 'number' &&
    typeof v.tokenExpiresAt === 'number' &&
    typeof v.jti === 'string'
  );
}
