import { verifyAuditChain } from '@/lib/audit/verify';
import { beforeAll, expect, it } from 'vitest';
import { listAuditRecords, type AuditActor } from '@/lib/audit/store';
import type { DatabaseHandle } from '@/lib/db';
import { describeEachDatabase } from '@/test/pg';
import { apiKeyHash } from './key';
import { authenticateApiKey, createApiKey, getApiKeyByName, listApiKeys, revokeApiKey } from './store';

const admin: AuditActor = { staffId: 'admin-1', email: 'Root@Example.com', role: 'admin', via: 'ui' };

describeEachDatabase('API key store', ({ fresh }) => {
  let db: DatabaseHandle;
  beforeAll(async () => {
    db = (await fresh()).handle;
  });

  it('creates a key shown once, stores only its hash and prefix, and audits it without the secret', async () => {
    const { apiKey, key } = await createApiKey({ name: ' ci-pipeline ', role: 'qa' }, admin, db);
    expect(key).toMatch(/^ivsc_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'ci-pipeline',
      role: 'qa',
      prefix: key.slice(0, 11),
      createdAt: expect.any(String),
      createdBy: 'root@example.com',
      lastUsedAt: null,
      revokedAt: null,
      revokedBy: null,
      owner: { kind: 'service', id: expect.any(String), name: 'cli', disabled: false },
      state: 'active',
    });
    const stored = await db.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(stored.key_hash).toBe(apiKeyHash(key));
    expect(JSON.stringify(stored)).not.toContain(key.slice(11));
    const { rows } = await listAuditRecords({ action: 'api_key.created' }, { limit: 10 }, db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorEmail: 'root@example.com',
      status: 'done',
      details: {
        resource: { type: 'api_key', id: apiKey.id, label: 'ci-pipeline' },
        new: { name: 'ci-pipeline', role: 'qa', prefix: apiKey.prefix },
      },
    });
    expect(JSON.stringify(rows[0])).not.toContain(key.slice(11));
    expect(JSON.stringify(rows[0])).not.toContain(stored.key_hash);
    expect(await getApiKeyByName('ci-pipeline', db)).toEqual(apiKey);
  });

  it('refuses bad names, unknown roles and duplicate names (revoked ones too)', async () => {
    await expect(createApiKey({ name: 'Has Space', role: 'qa' }, admin, db)).rejects.toMatchObject({ code: 'invalid_name' });
    await expect(createApiKey({ name: 'ok', role: 'owner' }, admin, db)).rejects.toMatchObject({ code: 'invalid_role' });
    const { apiKey } = await createApiKey({ name: 'dup', role: 'support' }, admin, db);
    await expect(createApiKey({ name: 'dup', role: 'qa' }, admin, db)).rejects.toMatchObject({ code: 'duplicate_name' });
    await revokeApiKey(apiKey.id, admin, db);
    await expect(createApiKey({ name: 'dup', role: 'qa' }, admin, db)).rejects.toMatchObject({ code: 'duplicate_name' });
    const raced = await Promise.allSettled([
      createApiKey({ name: 'race', role: 'qa' }, admin, db),
      createApiKey({ name: 'race', role: 'qa' }, admin, db),
    ]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('authenticates a Bearer key as an api actor of its role, and nothing else', async () => {
    const { apiKey, key } = await createApiKey({ name: 'auth-test', role: 'support' }, admin, db);
    expect(await authenticateApiKey(`Bearer ${key}`, { db })).toEqual({
      staffId: `apikey:${apiKey.id}`,
      email: 'auth-test@api-key',
      role: 'support',
      via: 'api',
      apiKeyName: 'auth-test',
      apiKeyId: apiKey.id,
    });
    const other = `ivsc_${'x'.repeat(43)}`;
    for (const header of [null, '', key, `Basic ${key}`, `Bearer ${other}`, `Bearer ${key.slice(0, -1)}`]) {
      expect(await authenticateApiKey(header, { db })).toBeNull();
    }
  });

  it('records last use at most once a minute', async () => {
    const { apiKey, key } = await createApiKey({ name: 'last-used', role: 'qa' }, admin, db);
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    await authenticateApiKey(`Bearer ${key}`, { db, now: t0 });
    expect((await getApiKeyByName(apiKey.name, db))?.lastUsedAt).toBe(t0.toISOString());
    await authenticateApiKey(`Bearer ${key}`, { db, now: new Date(t0.getTime() + 30_000) });
    expect((await getApiKeyByName(apiKey.name, db))?.lastUsedAt).toBe(t0.toISOString());
    const t2 = new Date(t0.getTime() + 61_000);
    await authenticateApiKey(`Bearer ${key}`, { db, now: t2 });
    expect((await getApiKeyByName(apiKey.name, db))?.lastUsedAt).toBe(t2.toISOString());
  });

  it('revokes at once, audits it once, and keeps the record listed', async () => {
    const { apiKey, key } = await createApiKey({ name: 'to-revoke', role: 'qa' }, admin, db);
    expect(await authenticateApiKey(`Bearer ${key}`, { db })).not.toBeNull();
    const revoked = await revokeApiKey(apiKey.id, admin, db);
    expect(revoked).toMatchObject({ revokedAt: expect.any(String), revokedBy: 'root@example.com' });
    expect(await authenticateApiKey(`Bearer ${key}`, { db })).toBeNull();
    expect(await revokeApiKey(apiKey.id, admin, db)).toEqual(revoked);
    const { rows } = await listAuditRecords({ action: 'api_key.revoked' }, { limit: 50 }, db);
    expect(rows.filter((r) => (r.details as { resource: { id: string } }).resource.id === apiKey.id)).toHaveLength(1);
    await expect(revokeApiKey('no-such-id', admin, db)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listApiKeys(db)).find((k) => k.id === apiKey.id)?.revokedAt).toBe(revoked.revokedAt);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
