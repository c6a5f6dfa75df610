/**
 * Where a signed-in member may be sent back to. A return path is judged the way the browser will
 * read it: parsed as a WHATWG URL against an origin of our own (the parser drops tabs and
 * newlines, reads `\` as `/`, resolves `..`), and kept only when it stays on that origin. The
 * answer is the parsed path, query and fragment, which is plain ASCII (the parser percent-encodes
 * the rest), so it is always a valid Location header. Anything else is `/`, which sends each role
 * to its own start page (app/page.tsx).
 */
const BASE = 'http://console.invalid';
export const DEFAULT_RETURN_PATH = '/';

function sameOriginPath(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE || url.username || url.password) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil.example` normalizes to the path `//evil.example`, which a browser reads as another host.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return null;
  // The same test once more on the answer itself: it must mean the same thing when read again.
  try {
    if (new URL(path, BASE).origin !== BASE) return null;
  } catch {
    return null;
  }
  return path;
}

export function safeReturnPath(value: unknown): string {
  // Only paths: a full URL, even our own, is refused (the console does not know its public origin here).
  if (typeof value !== 'string' || value.length > 2048) return DEFAULT_RETURN_PATH;
  const trimmed = value.replace(/[\t\n\r]/g, '');
  if (!trimmed.startsWith('/') || trimmed.startsWith('//') || trimmed.startsWith('/\\')) return DEFAULT_RETURN_PATH;
  const path = sameOriginPath(value);
  if (!path) return DEFAULT_RETURN_PATH;
  if (path === '/api' || path.startsWith('/api/') || path === '/signin' || path.startsWith('/signin/') || path.startsWith('/signin?')) {
    return DEFAULT_RETURN_PATH;
  }
  return path;
}
