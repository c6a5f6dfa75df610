import { readEnvironment } from '@/lib/env-schema.mjs';

/** Runs once per server process before it serves a request (Next.js instrumentation). */
export async function register() {
  // Next sets NEXT_RUNTIME itself; the hook needs Node's http server (lib/http/peer-address-hook.ts).
  if (readEnvironment().NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerAddressHook } = await import('./lib/http/peer-address-hook');
  installPeerAddressHook();
}
