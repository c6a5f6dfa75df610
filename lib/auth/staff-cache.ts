import 'server-only';

/**
 * A short cache of staff records by id, so a page's several checks within one request (and a burst
 * of requests) read the staff table once, while a disabled or demoted member still loses access
 * within `ttlMs`. The clock is a parameter so the expiry is tested without waiting for it.
 */
export function createStaffCache<T>(load: (id: string) => Promise<T>, options: { ttlMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return function cached(id: string): Promise<T> {
    const hit = entries.get(id);
    if (hit && now() - hit.at < options.ttlMs) return hit.value;
    const value = load(id);
    entries.set(id, { at: now(), value });
    value.catch(() => entries.delete(id));
    if (entries.size > 1000) entries.clear();
    return value;
  };
}
