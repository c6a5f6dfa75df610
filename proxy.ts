import { NextResponse, type NextRequest } from 'next/server';
import { chatSocketOrigins, isProduction, publicUrl, readEnvironment } from '@/lib/env-schema.mjs';

/**
 * Two jobs, neither of them authorization (every page, action and route handler checks the
 * session itself):
 *  - passes the requested path to server components (which cannot read it otherwise), so a
 *    signed-out visitor is sent to sign-in and brought back where they were going;
 *  - sets the security headers on every response, with a fresh CSP nonce per request. Next reads
 *    the nonce from the request's Content-Security-Policy header and puts it on its own scripts;
 *    the root layout reads it for Mantine's ColorSchemeScript.
 */
// proxy.ts sits outside lib/ (Next requires it at the root) and cannot import lib/env.ts, whose
// `server-only` guard does not load here; it reads the same variables through the same parser,
// once per process.
const source = readEnvironment();
const production = isProduction(source);
const httpsPublicUrl = publicUrl(source).startsWith('https://');
// The mint page's test connection opens the chat WebSocket from the browser: the endpoint
// override's ws:// origin (the emulator), else each configured region's wss://edge.ivschat host.
const chatOrigins = chatSocketOrigins(source);

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets Next's nonced bootstrap load its chunks; no inline script runs without the nonce.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${production ? '' : " 'unsafe-eval'"}`,
    // Mantine and Next inject style attributes and <style> tags at runtime that cannot carry a nonce.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...chatOrigins].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set('x-console-path', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('Referrer-Policy', 'same-origin');
  response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (production && httpsPublicUrl) response.headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  // Tokens are shown on /mint and returned by its server actions; never keep either in a cache.
  if (request.nextUrl.pathname === '/mint' || request.headers.has('next-action')) {
    response.headers.set('Cache-Control', 'no-store, max-age=0');
  }
  return response;
}

export const config = {
  // Everything except Next's immutable build assets and the JSON API (both get their headers from
  // next.config.mjs; the API authenticates every request itself, lib/api/http.ts).
  // The JSON routes get their headers from next.config.mjs (and keep their bodies whole: see there).
  matcher: ['/((?!_next/static|_next/image|api/v1/|api/bulk/).*)'],
};
