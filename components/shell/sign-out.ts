/**
 * next-auth's sign-out, as `signOut({ callbackUrl })` from next-auth/react does it (GET the CSRF
 * token, POST /api/auth/signout, follow the URL it answers), without loading next-auth/react on
 * every console page: that module and its regenerator runtime were ~6 KB gzip of each first load,
 * for this one call. The console has no SessionProvider, so there is no other tab state to notify.
 */
export async function signOutTo(callbackUrl: string): Promise<void> {
  const csrf = (await (await fetch('/api/auth/csrf', { cache: 'no-store' })).json()) as { csrfToken: string };
  const res = await fetch('/api/auth/signout', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl, json: 'true' }),
  });
  const data = (await res.json().catch(() => ({}))) as { url?: string };
  window.location.href = data.url ?? callbackUrl;
}
