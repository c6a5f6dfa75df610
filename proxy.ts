import { NextResponse, type NextRequest } from 'next/server';

/**
 * Passes the requested path to server components (which cannot read it otherwise), so a
 * signed-out visitor is sent to sign-in and brought back where they were going. Authorization is
 * not decided here: every page, action and route handler checks the session itself.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set('x-console-path', `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/).*)'],
};
