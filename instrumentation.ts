/** Runs once per server process before it serves a request (Next.js instrumentation). */
export async function register() {
  // Next sets NEXT_RUNTIME itself and replaces this literal at build time (read through a function,
  // as lib/env-schema.mjs does, it is undefined here and the hook would never be installed).
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerAddressHook } = await import('./lib/http/peer-address-hook');
  installPeerAddressHook();
  // Approval windows end on time however long the server was down: a sweep at start, then on an interval.
  const { startApprovalSweep } = await import('./lib/approvals/sweep');
  startApprovalSweep();
}
