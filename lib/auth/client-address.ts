import 'server-only';
import { isIP } from 'node:net';
import { env } from '@/lib/env';
import { PEER_FORWARDED_HEADER, PEER_HEADER, peerAddressHookInstalled } from '@/lib/http/peer-address-hook';

type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (typeof (source as { get?: unknown }).get === 'function') return (source as { get(n: string): string | null }).get(name) ?? undefined;
  const value = (source as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

const unmap = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

/**
 * The client's address: the socket's, unless TRUST_PROXY_HOPS says that many reverse proxies
 * stand in front of the console, in which case it is the X-Forwarded-For entry that many hops
 * from the socket (the one the outermost trusted proxy saw). Entries a client wrote itself,
 * further left, are never used. Null when the address cannot be known (the hook is not installed).
 */
export function clientAddress(headers: HeaderSource): string | null {
  if (!peerAddressHookInstalled()) return null;
  const peer = header(headers, PEER_HEADER);
  if (!peer) return null;
  const hops = env.TRUST_PROXY_HOPS;
  if (hops === 0) return unmap(peer);
  const forwarded = (header(headers, PEER_FORWARDED_HEADER) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  const picked = chain[Math.max(0, chain.length - 1 - hops)]!;
  return isIP(unmap(picked)) ? unmap(picked) : unmap(peer);
}
