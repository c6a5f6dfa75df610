import { afterAll, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '@/lib/db';
import { describeEachDatabase } from '@/test/pg';

/**
 * Key rotation through the real configuration path: each step sets the environment and loads the
 * modules afresh (lib/env.ts reads process.env once, at import), as a restarted console would.
 */
const KEY_A = 'chain-key-A-0123456789abcdef0123456789abcdef';
const KEY_B = 'chain-key-B-0123456789abcdef0123456789abcdef';
const FP_1 = 'fingerprint-key-1-0123456789abcdef0123456789';
const FP_2 = 'fingerprint-key-2-0123456789abcdef0123456789';
const NAMES = ['AUDIT_CHAIN_KEY', 'AUDIT_CHAIN_PREVIOUS_KEYS', 'FINGERPRINT_KEY', 'FINGERPRINT_PREVIOUS_KEYS'] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterAll(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

async function restartWith(config: Partial<Record<(typeof NAMES)[number], string>>) {
  for (const n of NAMES) delete process.env[n];
  Object.assign(process.env, config);
  vi.resetModules();
  const store = await import('./store');
  const fingerprint = await import('./fingerprint');
  const keys = await import('./keys');
  return { ...store, ...fingerprint, ...keys };
}

const actor = { staffId: 's', email: 's@example.com', role: 'support', via: 'ui' } as const;
const mint = {
  actor,
  roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/abcdEFGH1234',
  region: 'us-east-1',
  userId: 'u',
  attributes: {},
  capabilities: ['SEND_MESSAGE'],
  durationMinutes: 60,
};
const times = { tokenExpiresAt: new Date('2030-01-01T00:01:00Z'), sessionExpiresAt: new Date('2030-01-01T01:00:00Z') };

describeEachDatabase('key rotation', ({ fresh }) => {
  it('a new chain key starts a segment; old segments verify under their key id; old tokens stay findable', async () => {
    const { handle }: { handle: DatabaseHandle } = await fresh();

    let c = await restartWith({ AUDIT_CHAIN_KEY: KEY_A, FINGERPRINT_KEY: FP_1 });
    const first = await c.recordMintRequested({ ...mint, userId: 'before-rotation' }, handle);
    await c.recordMintIssued(first.id, { fingerprint: c.tokenFingerprint('token-1'), ...times }, handle);
    const idA = c.keyId(KEY_A);
    expect(await (await import('@/lib/audit/verify')).verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({
      ok: true,
      segments: [{ keyId: idA, fromSeq: 1, toSeq: 2 }],
    });

    // Both keys rotated; the old ones listed as previous.
    c = await restartWith({
      AUDIT_CHAIN_KEY: KEY_B,
      AUDIT_CHAIN_PREVIOUS_KEYS: KEY_A,
      FINGERPRINT_KEY: FP_2,
      FINGERPRINT_PREVIOUS_KEYS: FP_1,
    });
    const second = await c.recordMintRequested({ ...mint, userId: 'after-rotation' }, handle);
    await c.recordMintIssued(second.id, { fingerprint: c.tokenFingerprint('token-2'), ...times }, handle);
    const idB = c.keyId(KEY_B);
    expect(idB).not.toBe(idA);
    expect(await c.getAuditRecord(second.id, handle)).toMatchObject({ keyId: idB });
    expect(await (await import('@/lib/audit/verify')).verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({
      ok: true,
      rows: 4,
      segments: [
        { keyId: idA, fromSeq: 1, toSeq: 2 },
        { keyId: idB, fromSeq: 3, toSeq: 4 },
      ],
    });
    expect(await c.findMintByFingerprint(c.tokenFingerprints('token-1'), handle)).toMatchObject({
      id: first.id,
      userId: 'before-rotation',
    });
    expect(await c.findMintByFingerprint(c.tokenFingerprints('token-2'), handle)).toMatchObject({ id: second.id });
    // Only the current fingerprint key: the old token is not found (why the previous keys are kept).
    expect(await c.findMintByFingerprint(c.tokenFingerprint('token-1'), handle)).toBeNull();

    // The old chain key forgotten: its segment no longer verifies, naming the key id.
    c = await restartWith({ AUDIT_CHAIN_KEY: KEY_B, FINGERPRINT_KEY: FP_2 });
    expect(await (await import('@/lib/audit/verify')).verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({
      ok: false,
      seq: 1,
      problem: expect.stringContaining(`key id ${idA}, which is not in the keyring`),
    });

    // Back on the old key without the new one: the console refuses to write a segment nobody could verify.
    c = await restartWith({ AUDIT_CHAIN_KEY: KEY_A, FINGERPRINT_KEY: FP_1 });
    await expect(c.recordAction({ actor, action: 'staff.created', details: {} }, handle)).rejects.toThrow(
      new RegExp(`newest entry is under key ${idB}.*AUDIT_CHAIN_PREVIOUS_KEYS`),
    );
    // No key at all (the development key) on a real log: refused too.
    c = await restartWith({});
    await expect(c.recordMintRequested(mint, handle)).rejects.toThrow(
      /AUDIT_CHAIN_KEY is not set, but this audit log is chained under key/,
    );

    // A retired key that writes again after a newer one took over is reported.
    c = await restartWith({ AUDIT_CHAIN_KEY: KEY_A, AUDIT_CHAIN_PREVIOUS_KEYS: KEY_B, FINGERPRINT_KEY: FP_1 });
    await c.recordAction({ actor, action: 'staff.created', details: {} }, handle);
    expect(await (await import('@/lib/audit/verify')).verifyAuditChain(handle, { checkpointFile: null })).toMatchObject({
      ok: false,
      seq: 5,
      problem: expect.stringMatching(/returns after a newer key/),
    });
  });
});
