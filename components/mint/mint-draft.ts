import type { MintTokenRequest } from '@/lib/shared/tokens/schema';

/**
 * The mint form as it was filled when the session ended, kept in this tab's sessionStorage across
 * the sign-in that follows (never the token: a draft is the request only). It belongs to the member
 * whose session ended, so someone else signing in in the same tab does not get it, and it is
 * read once.
 */
const KEY = 'ivs-console:mint-draft';
const MAX_AGE_MS = 24 * 3600_000;

interface Draft {
  owner: string;
  savedAt: number;
  values: MintTokenRequest;
}

export function saveMintDraft(owner: string, values: MintTokenRequest): void {
  try {
    const draft: Draft = { owner, savedAt: Date.now(), values };
    sessionStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the form is lost as it was before; the sign-in link still works.
  }
}

/** The draft saved for `owner`, removed as it is read; null when there is none (or it is someone else's). */
export function takeMintDraft(owner: string): MintTokenRequest | null {
  let raw: string | null;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const draft = JSON.parse(raw) as Partial<Draft>;
    // Someone else's draft stays for its owner's return (or the tab's end).
    if (draft.owner !== owner) return null;
    dropMintDraft();
    if (typeof draft.savedAt !== 'number' || Date.now() - draft.savedAt > MAX_AGE_MS) return null;
    const v = draft.values as Partial<MintTokenRequest> | undefined;
    if (!v || typeof v.roomArn !== 'string' || typeof v.userId !== 'string') return null;
    // Only the request's own fields, in its shapes; the resolver checks the values again on submit.
    return {
      roomArn: v.roomArn,
      userId: v.userId,
      attributes: Array.isArray(v.attributes)
        ? v.attributes
            .filter((a) => typeof a?.key === 'string' && typeof a?.value === 'string')
            .map((a) => ({ key: a.key, value: a.value }))
        : [],
      capabilities: Array.isArray(v.capabilities) ? v.capabilities.filter((c) => typeof c === 'string') : [],
      sessionDurationInMinutes: typeof v.sessionDurationInMinutes === 'number' ? v.sessionDurationInMinutes : 60,
      reason: typeof v.reason === 'string' ? v.reason : '',
    } as MintTokenRequest;
  } catch {
    return null;
  }
}

export function dropMintDraft(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to drop.
  }
}
