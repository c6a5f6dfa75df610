/**
 * What a person pastes into the token lookup, read for the token inside it. Client-safe: the
 * lookup form and its server action parse with the same rule (lib/shared/audit/filter.ts).
 *
 * An IVS chat token is opaque ciphertext: one unbroken run of base64url characters (it travels as
 * a WebSocket subprotocol, so no `/`, `+` or `=`), starting `AQICAH` like a KMS ciphertext blob,
 * hundreds of characters long (docs: IVSCHAT.md "Token format"; the emulator mints the same
 * shape, emulator/tokens.ts). Around it people paste what surrounded it where they found it: an
 * `Authorization: Bearer` header, quotes, a JSON member, line breaks from wrapping.
 */

export const TOKEN_PREFIX = 'AQICAH';
const TOKEN_CHARS = /^[A-Za-z0-9_-]+$/;
/** Shorter than any whole token (the shortest the emulator mints is ~280 characters). */
export const TOKEN_MIN_LENGTH = 100;

export type PastedToken =
  { kind: 'token'; token: string; removed: string[] } | { kind: 'empty' | 'jwt' | 'api-key' | 'not-token' | 'cut'; message: string };

const QUOTES: [string, string][] = [
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['\u201C', '\u201D'],
  ['\u2018', '\u2019'],
  ['<', '>'],
];

function unwrap(text: string, removed: Set<string>): string {
  let s = text.trim();
  for (let guard = 0; guard < 8; guard++) {
    const before = s;
    // A CreateChatToken answer or any JSON with a token member: take the member.
    if (s.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(s);
        if (parsed && typeof parsed === 'object' && typeof (parsed as { token?: unknown }).token === 'string') {
          s = (parsed as { token: string }).token.trim();
          removed.add('the JSON around it');
        }
      } catch {
        // Not JSON after all; read on as text.
      }
    }
    const member = /^"?token"?\s*[:=]\s*/i.exec(s);
    if (member) {
      s = s.slice(member[0].length).replace(/[,;]\s*$/, '');
      removed.add('"token:"');
    }
    const header = /^authorization\s*:\s*/i.exec(s);
    if (header) {
      s = s.slice(header[0].length);
      removed.add('"Authorization:"');
    }
    const bearer = /^bearer\s+/i.exec(s);
    if (bearer) {
      s = s.slice(bearer[0].length);
      removed.add('"Bearer"');
    }
    const trailing = /[,;]$/.exec(s);
    if (trailing) s = s.slice(0, -1);
    for (const [open, close] of QUOTES) {
      if (s.length >= 2 && s.startsWith(open) && s.endsWith(close)) {
        s = s.slice(open.length, s.length - close.length);
        removed.add('quotes');
      }
    }
    s = s.trim();
    if (s === before) break;
  }
  return s;
}

function looksLikeJwt(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 3 && parts.length !== 5) return false;
  if (!parts.every((p, i) => /^[A-Za-z0-9_-]*$/.test(p) && (p.length > 0 || i === 2))) return false;
  try {
    const b64 = parts[0].replace(/-/g, '+').replace(/_/g, '/');
    const header: unknown = JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)));
    return !!header && typeof header === 'object' && ('alg' in header || 'typ' in header || 'enc' in header);
  } catch {
    return false;
  }
}

export function readPastedToken(text: string): PastedToken {
  const removed = new Set<string>();
  let s = unwrap(text, removed);
  // Line breaks from a wrapped paste (and the indentation after them) are not part of a token.
  if (/[\r\n]/.test(s)) {
    s = s.replace(/\s*[\r\n]+\s*/g, '');
    removed.add('line breaks');
  }
  if (s === '') return { kind: 'empty', message: 'Paste a token.' };
  if (looksLikeJwt(s)) {
    return {
      kind: 'jwt',
      message:
        'This is a JWT, not an IVS chat token: a JWT is three dot-separated parts (a sign-in or API token of some other system). A chat token is one opaque string that starts with AQICAH.',
    };
  }
  if (/^ivsc_[A-Za-z0-9_-]{20,}$/.test(s)) {
    return {
      kind: 'api-key',
      message: "This is one of this console's API keys (ivsc_…), not an IVS chat token. Keep it secret all the same.",
    };
  }
  if (/\s/.test(s)) {
    return {
      kind: 'not-token',
      message:
        'This is not a token: it has spaces in it. An IVS chat token is one unbroken string of letters, digits, - and _ that starts with AQICAH.',
    };
  }
  if (!TOKEN_CHARS.test(s)) {
    const odd = [...new Set(s.replace(/[A-Za-z0-9_-]/g, ''))].slice(0, 5).join(' ');
    return {
      kind: 'not-token',
      message: `This is not a token: it holds characters no IVS chat token has (${odd}). A chat token is letters, digits, - and _ only, starting with AQICAH.`,
    };
  }
  if (s.length < TOKEN_MIN_LENGTH) {
    return s.startsWith(TOKEN_PREFIX)
      ? {
          kind: 'cut',
          message: `This is only the start of a chat token (${s.length} characters; whole tokens run to hundreds). Paste all of it.`,
        }
      : {
          kind: 'not-token',
          message: `This is not a token: ${s.length} characters, and IVS chat tokens are hundreds of characters long and start with AQICAH.`,
        };
  }
  return { kind: 'token', token: s, removed: [...removed] };
}
