import { describe, expect, it } from 'vitest';
import { createStaffCache } from './staff-cache';

describe('the staff cache of lib/auth/session.ts', () => {
  it('reuses a record for ttlMs on its clock, then reads the store again', async () => {
    let clock = 1_000_000;
    const store = new Map([['s1', { role: 'admin', disabled: false }]]);
    let reads = 0;
    const cached = createStaffCache(
      async (id: string) => {
        reads++;
        return { ...store.get(id)! };
      },
      { ttlMs: 2_000, now: () => clock },
    );
    expect(await cached('s1')).toMatchObject({ role: 'admin' });
    store.set('s1', { role: 'viewer', disabled: true });
    clock += 1_999;
    expect(await cached('s1')).toMatchObject({ role: 'admin' }); // within the two seconds
    expect(reads).toBe(1);
    clock += 1;
    expect(await cached('s1')).toMatchObject({ role: 'viewer', disabled: true }); // the demotion, at the next request after
    expect(reads).toBe(2);
  });

  it('with ttlMs 0 reads the store on every call, and never keeps a failed read', async () => {
    let reads = 0;
    const always = createStaffCache(async () => ++reads, { ttlMs: 0, now: () => 5 });
    expect([await always('a'), await always('a')]).toEqual([1, 2]);
    let fail = true;
    const flaky = createStaffCache(
      async () => {
        if (fail) throw new Error('database locked');
        return 'ok';
      },
      { ttlMs: 60_000, now: () => 5 },
    );
    await expect(flaky('a')).rejects.toThrow('database locked');
    fail = false;
    expect(await flaky('a')).toBe('ok');
  });
});
