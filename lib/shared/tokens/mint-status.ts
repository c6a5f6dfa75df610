import { countdown, formatUtc } from '@/lib/shared/tokens/expiry';

/** What a mint record says about its token right now. Browser-safe (shared by the detail page). */
export type MintStatusNow =
  | { kind: 'connectable'; text: string; until: string; countdown: string }
  | { kind: 'session-open'; text: string; until: string; countdown: string }
  | { kind: 'expired'; text: string; at: string; ago: string }
  | { kind: 'failed'; text: string }
  | { kind: 'pending'; text: string };

export interface MintStatusInput {
  status: string;
  tokenExpiresAt: string | null;
  sessionExpiresAt: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export function mintStatusNow(r: MintStatusInput, now: Date): MintStatusNow {
  if (r.status === 'failed') {
    const detail = [r.errorCode, r.errorMessage].filter(Boolean).join(': ');
    return { kind: 'failed', text: `failed: ${detail || 'no error recorded'}` };
  }
  if (r.status !== 'issued' || !r.tokenExpiresAt || !r.sessionExpiresAt) {
    return { kind: 'pending', text: 'pending: outcome unknown' };
  }
  const token = new Date(r.tokenExpiresAt);
  const session = new Date(r.sessionExpiresAt);
  if (now < token) {
    const left = countdown(token, now);
    return { kind: 'connectable', text: `can still connect until ${formatUtc(token)}`, until: r.tokenExpiresAt, countdown: left.text };
  }
  if (now < session) {
    const left = countdown(session, now);
    return { kind: 'session-open', text: `session ends at ${formatUtc(session)}`, until: r.sessionExpiresAt, countdown: left.text };
  }
  return { kind: 'expired', text: `expired ${formatUtc(session)}`, at: r.sessionExpiresAt, ago: countdown(session, now).text };
}
