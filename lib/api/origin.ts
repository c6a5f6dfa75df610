import 'server-only';

/**
 * For cookie-authenticated routes that change something: whether the request came from a page of
 * this console. Browsers send Origin on every POST (and on cross-site requests of any method), and
 * a page elsewhere cannot forge it; `required` refuses a request without one, for the routes only
 * the console's own pages call.
 */
export function isSameOrigin(request: Request, { required = false }: { required?: boolean } = {}): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return !required;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) or garbage
  }
}
