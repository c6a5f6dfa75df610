/**
 * The HTTP API for pipelines over real HTTP against the built console and the emulator: every
 * status code of the contract, keys scoped to a role, revocation at once, batches, the rate limit
 * and AWS faults. Requests carry an API key and never a cookie.
 */
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { E2E, storageStateFor } from './env';
import { SEED, armFault, clearFaults, createApiKeyCli, createChatTokenCalls, revokeApiKeyCli } from './helpers';

const MAIN_STAGE = 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001';
const MISSING_ROOM = 'arn:aws:ivschat:us-east-1:123456789012:room/NoSuchRoom01';
const TOKEN_FIELD = /"token"\s*:/;

let api: APIRequestContext;
const keys: Record<string, string> = {};
// Key names stay taken for ever; a retried worker runs beforeAll again, so names carry a run id.
const run = `${process.pid}-${Date.now().toString(36)}`;
const keyName = (label: string) => `e2e-${label}-${run}`;

test.beforeAll(async ({ playwright }) => {
  // Explicitly empty: a request context made in a test otherwise inherits the project's storageState.
  api = await playwright.request.newContext({ baseURL: E2E.baseUrl, storageState: { cookies: [], origins: [] } });
  for (const role of ['qa', 'support', 'viewer', 'admin'] as const) keys[role] = createApiKeyCli(keyName(role), role);
});
test.afterAll(async () => api?.dispose());
test.afterEach(async () => clearFaults());

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const mint = (key: string, data: unknown, headers: Record<string, string> = {}) =>
  api.post('/api/v1/tokens', { headers: { ...auth(key), 'Content-Type': 'application/json', ...headers }, data: JSON.stringify(data) });

async function expectError(res: APIResponse, status: number, code: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect(res.status(), text).toBe(status);
  expect(res.headers()['content-type']).toContain('application/json');
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body).toMatchObject({ code, message: expect.any(String), fieldErrors: expect.any(Object) });
  expect(text).not.toMatch(TOKEN_FIELD);
  return body;
}

test('the OpenAPI document describes the three endpoints, without a key', async () => {
  const res = await api.get('/api/v1/openapi.json');
  expect(res.status()).toBe(200);
  const doc = await res.json();
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/rooms', '/api/v1/tokens', '/api/v1/tokens/{id}']));
  expect(Object.keys(doc.paths['/api/v1/tokens'].post.responses)).toEqual(
    expect.arrayContaining(['200', '201', '400', '401', '403', '404', '409', '413', '415', '429', '502', '503']),
  );
  expect(doc.components.schemas.MintRequest.properties.capabilities.items.$ref).toBe('#/components/schemas/Capability');
});

test('401 without a key, with a malformed, unknown or cookie-only credential, on every endpoint', async () => {
  const endpoints = [
    () => api.get('/api/v1/rooms'),
    () => api.post('/api/v1/tokens', { headers: { 'Content-Type': 'application/json' }, data: '{}' }),
    () => api.get('/api/v1/tokens/00000000-0000-4000-8000-000000000000'),
  ];
  for (const call of endpoints) {
    const res = await call();
    await expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers()['www-authenticate']).toMatch(/^Bearer realm="ivs-chat-console"$/);
  }
  for (const header of [`Bearer ivsc_${'x'.repeat(43)}`, 'Bearer nonsense', `Basic ${keys.qa}`, keys.qa]) {
    const res = await api.get('/api/v1/rooms', { headers: { Authorization: header } });
    await expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers()['www-authenticate']).toContain('error="invalid_token"');
  }
});

test('rooms: a key sees the rooms its role may mint in; a role that may not mint is 403 with its rule', async () => {
  const qa = await api.get('/api/v1/rooms', { headers: auth(keys.qa) });
  expect(qa.status()).toBe(200);
  expect(qa.headers()['cache-control']).toContain('no-store');
  const names = ((await qa.json()).rooms as { name: string; tags: Record<string, string> }[]).map((r) => r.name).sort();
  expect(names).toEqual(['qa-load', 'qa-sandbox', 'support-repro']);
  const admin = await api.get('/api/v1/rooms', { headers: auth(keys.admin) });
  expect(((await admin.json()).rooms as unknown[]).length).toBeGreaterThan(names.length);
  const viewer = await expectError(await api.get('/api/v1/rooms', { headers: auth(keys.viewer) }), 403, 'FORBIDDEN');
  expect(viewer.rule).toBe('roles.viewer.mayMint');
});

test('mint one: 201 with the token once and no-store; the record reads back without it', async () => {
  const before = await createChatTokenCalls();
  const res = await mint(keys.qa, {
    roomArn: SEED.qaSandbox,
    userId: 'pipeline-user-1',
    capabilities: ['SEND_MESSAGE'],
    sessionDurationInMinutes: 30,
    attributes: { displayName: 'Pipeline ✓' },
    reason: 'nightly chat test',
  });
  expect(res.status(), await res.text()).toBe(201);
  expect(res.headers()['cache-control']).toContain('no-store');
  const minted = await res.json();
  expect(minted).toMatchObject({
    token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
    tokenExpirationTime: expect.any(String),
    sessionExpirationTime: expect.any(String),
    auditId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    request: {
      roomArn: SEED.qaSandbox,
      userId: 'pipeline-user-1',
      capabilities: ['SEND_MESSAGE'],
      sessionDurationInMinutes: 30,
      attributes: { displayName: 'Pipeline ✓' },
    },
    links: { record: `/api/v1/tokens/${minted.auditId}` },
  });
  expect(res.headers()['location']).toBe(`/api/v1/tokens/${minted.auditId}`);
  expect(await createChatTokenCalls()).toBe(before + 1);

  const record = await api.get(minted.links.record, { headers: auth(keys.qa) });
  expect(record.status()).toBe(200);
  const text = await record.text();
  expect(text).not.toContain(minted.token);
  expect(text).not.toMatch(TOKEN_FIELD);
  expect(JSON.parse(text)).toMatchObject({
    id: minted.auditId,
    status: 'issued',
    actor: { email: `${keyName('qa')}@api-key`, role: 'qa', via: 'api', apiKeyName: keyName('qa') },
    request: { roomArn: SEED.qaSandbox, userId: 'pipeline-user-1', reason: 'nightly chat test', attributes: { displayName: 'Pipeline ✓' } },
    tokenExpirationTime: minted.tokenExpirationTime,
  });
  // Another key whose role may read the audit log reads it too; unknown and malformed ids are 404.
  expect((await api.get(minted.links.record, { headers: auth(keys.support) })).status()).toBe(200);
  await expectError(await api.get('/api/v1/tokens/00000000-0000-4000-8000-000000000000', { headers: auth(keys.qa) }), 404, 'NOT_FOUND');
  await expectError(await api.get('/api/v1/tokens/not-a-uuid', { headers: auth(keys.qa) }), 404, 'NOT_FOUND');
});

test('400 for malformed JSON, field errors, unknown fields and bad batches; 415 and 413 for the body; nothing minted', async () => {
  const before = await createChatTokenCalls();
  // A Buffer, because Playwright JSON-encodes a string body that is not valid JSON.
  const raw = (body: string, type = 'application/json') =>
    api.post('/api/v1/tokens', { headers: { ...auth(keys.qa), 'Content-Type': type }, data: Buffer.from(body) });

  const malformed = await expectError(await raw('{"roomArn": '), 400, 'INVALID_INPUT');
  expect(malformed.fieldErrors).toEqual({ body: 'Not valid JSON.' });
  const fields = await expectError(
    await mint(keys.qa, { roomArn: 'not-an-arn', userId: '', sessionDurationInMinutes: 999, attributes: { k: 'x'.repeat(1100) } }),
    400,
    'INVALID_INPUT',
  );
  expect(Object.keys(fields.fieldErrors as object)).toEqual(
    expect.arrayContaining(['roomArn', 'userId', 'sessionDurationInMinutes', 'attributes']),
  );
  const unknown = await expectError(
    await mint(keys.qa, { roomArn: SEED.qaSandbox, userId: 'u', capability: ['SEND_MESSAGE'] }),
    400,
    'INVALID_INPUT',
  );
  expect(unknown.fieldErrors).toEqual({ capability: 'Unknown field.' });
  await expectError(await mint(keys.qa, [1, 2]), 400, 'INVALID_INPUT');
  await expectError(await mint(keys.qa, { requests: [] }), 400, 'INVALID_INPUT');
  const tooMany = await expectError(
    await mint(keys.qa, { requests: Array.from({ length: 101 }, (_, i) => ({ roomArn: SEED.qaSandbox, userId: `u${i}` })) }),
    400,
    'INVALID_INPUT',
  );
  expect((tooMany.fieldErrors as Record<string, string>).requests).toMatch(/at most 100/);

  await expectError(await raw(JSON.stringify({ roomArn: SEED.qaSandbox, userId: 'u' }), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  await expectError(
    await raw(JSON.stringify({ roomArn: SEED.qaSandbox, userId: 'u', reason: 'x'.repeat(300 * 1024) })),
    413,
    'PAYLOAD_TOO_LARGE',
  );
  expect(await createChatTokenCalls()).toBe(before);
});

test("403: a key's role limits what it may mint, naming the rule, and nothing reaches AWS", async () => {
  const before = await createChatTokenCalls();
  const support = await expectError(
    await mint(keys.support, {
      roomArn: SEED.qaSandbox,
      userId: 'u',
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'],
      reason: 'moderate',
    }),
    403,
    'FORBIDDEN',
  );
  expect(support.rule).toBe('roles.support.capabilities');
  expect(support.message).toContain('DELETE_MESSAGE');
  expect(support.fieldErrors).toHaveProperty('capabilities');
  const longSession = await expectError(
    await mint(keys.support, { roomArn: SEED.qaSandbox, userId: 'u', sessionDurationInMinutes: 120 }),
    403,
    'FORBIDDEN',
  );
  expect(longSession.rule).toBe('roles.support.maxSessionMinutes');
  const qaProd = await expectError(await mint(keys.qa, { roomArn: MAIN_STAGE, userId: 'u' }), 403, 'FORBIDDEN');
  expect(qaProd.rule).toBe('roles.qa.rooms.tags.env');
  const viewer = await expectError(await mint(keys.viewer, { roomArn: SEED.qaSandbox, userId: 'u' }), 403, 'FORBIDDEN');
  expect(viewer.rule).toBe('roles.viewer.mayMint');
  expect(await createChatTokenCalls()).toBe(before);
  // The same request within the role's policy goes through.
  expect((await mint(keys.support, { roomArn: SEED.qaSandbox, userId: 'u', capabilities: ['SEND_MESSAGE'] })).status()).toBe(201);
});

test('a batch answers 200 with a result and status per item, in order', async () => {
  const res = await mint(keys.qa, {
    requests: [
      { roomArn: SEED.qaSandbox, userId: 'batch-1' },
      { roomArn: SEED.qaSandbox, userId: '' },
      { roomArn: MAIN_STAGE, userId: 'batch-3' },
      'not an object',
      { roomArn: SEED.qaSandbox, userId: 'batch-5', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'] },
    ],
  });
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('no-store');
  const body = await res.json();
  expect(body).toMatchObject({ issued: 2, failed: 3 });
  expect(body.results.map((r: { index: number; status: number; ok: boolean }) => [r.index, r.ok, r.status])).toEqual([
    [0, true, 201],
    [1, false, 400],
    [2, false, 403],
    [3, false, 400],
    [4, true, 201],
  ]);
  expect(body.results[0].result.token).not.toBe(body.results[4].result.token);
  expect(body.results[1].error).toMatchObject({ code: 'INVALID_INPUT', fieldErrors: { userId: expect.any(String) } });
  expect(body.results[2].error).toMatchObject({ code: 'FORBIDDEN', rule: 'roles.qa.rooms.tags.env' });
  const record = await (await api.get(body.results[4].result.links.record, { headers: auth(keys.qa) })).json();
  expect(record).toMatchObject({ status: 'issued', request: { userId: 'batch-5', capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'] } });
});

test('409 when an Idempotency-Key is reused after it minted; a key whose request minted nothing can be retried', async () => {
  const body = { roomArn: SEED.qaSandbox, userId: 'idempotent-user' };
  const first = await mint(keys.qa, body, { 'Idempotency-Key': 'job-42-step-1' });
  expect(first.status()).toBe(201);
  const { auditId } = await first.json();
  const before = await createChatTokenCalls();
  const again = await expectError(await mint(keys.qa, body, { 'Idempotency-Key': 'job-42-step-1' }), 409, 'IDEMPOTENCY_KEY_REUSED');
  expect(again).toMatchObject({ auditIds: [auditId], records: [`/api/v1/tokens/${auditId}`], sameRequest: true });
  expect(await createChatTokenCalls()).toBe(before);
  // Keys are per API key: another key may use the same value.
  expect((await mint(keys.admin, body, { 'Idempotency-Key': 'job-42-step-1' })).status()).toBe(201);
  // Refused by the policy (nothing audited): the key is released, and the corrected retry mints.
  await expectError(await mint(keys.qa, { roomArn: MAIN_STAGE, userId: 'u' }, { 'Idempotency-Key': 'job-43' }), 403, 'FORBIDDEN');
  expect((await mint(keys.qa, body, { 'Idempotency-Key': 'job-43' })).status()).toBe(201);
  await expectError(await mint(keys.qa, body, { 'Idempotency-Key': 'bad key with spaces' }), 400, 'INVALID_INPUT');
});

test('502 for AWS faults (with the failed audit record), 404 for a room AWS does not know', async () => {
  await armFault({ operation: 'CreateChatToken', error: 'AccessDeniedException', count: 1 });
  const denied = await expectError(await mint(keys.qa, { roomArn: SEED.qaSandbox, userId: 'fault-user' }), 502, 'AWS_ERROR');
  expect(denied).toMatchObject({ awsCode: 'AccessDeniedException', retryable: false, auditId: expect.any(String) });
  const record = await (await api.get(`/api/v1/tokens/${denied.auditId}`, { headers: auth(keys.qa) })).json();
  expect(record).toMatchObject({ status: 'failed', error: { code: 'AccessDeniedException' } });

  await armFault({ operation: 'CreateChatToken', error: 'InternalServerError', count: 3 });
  const serverError = await expectError(await mint(keys.qa, { roomArn: SEED.qaSandbox, userId: 'fault-user' }), 502, 'AWS_ERROR');
  expect(serverError).toMatchObject({ retryable: true });

  const missing = await expectError(await mint(keys.admin, { roomArn: MISSING_ROOM, userId: 'u' }), 404, 'AWS_ERROR');
  expect(missing).toMatchObject({ awsCode: 'ResourceNotFoundException', fieldErrors: { roomArn: expect.any(String) } });
});

test('revoking a key with the CLI refuses its very next request', async () => {
  const key = createApiKeyCli(keyName('revoke-cli'), 'qa');
  expect((await api.get('/api/v1/rooms', { headers: auth(key) })).status()).toBe(200);
  revokeApiKeyCli(keyName('revoke-cli'));
  await expectError(await api.get('/api/v1/rooms', { headers: auth(key) }), 401, 'UNAUTHENTICATED');
  await expectError(await mint(key, { roomArn: SEED.qaSandbox, userId: 'u' }), 401, 'UNAUTHENTICATED');
});

test('429 with Retry-After once a key has minted its rateLimits.mintPerApiKey (120 per 60 s)', async () => {
  test.setTimeout(120_000);
  // The window is fixed (aligned to the minute): start the burst early in one, so it cannot straddle two.
  const second = Math.floor(Date.now() / 1000) % 60;
  if (second > 35) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
  const key = createApiKeyCli(keyName('burst'), 'admin');
  const item = (i: number) => ({ roomArn: SEED.qaSandbox, userId: `burst-${i}` });
  const first = await (await mint(key, { requests: Array.from({ length: 100 }, (_, i) => item(i)) })).json();
  expect(first.issued).toBe(100);
  const secondBatch = await mint(key, { requests: Array.from({ length: 25 }, (_, i) => item(100 + i)) });
  expect(secondBatch.status()).toBe(200);
  const body = await secondBatch.json();
  expect(body.issued).toBe(20);
  const statuses = body.results.map((r: { status: number }) => r.status);
  expect(statuses.filter((s: number) => s === 429)).toHaveLength(5);
  expect(body.results.find((r: { status: number }) => r.status === 429).error).toMatchObject({
    code: 'RATE_LIMITED',
    rule: 'rateLimits.mintPerApiKey',
  });
  expect(Number(secondBatch.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
  const limited = await mint(key, item(200));
  const error = await expectError(limited, 429, 'RATE_LIMITED');
  expect(error).toMatchObject({ rule: 'rateLimits.mintPerApiKey', retryAfterSeconds: expect.any(Number) });
  const retryAfter = Number(limited.headers()['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  // Other keys have their own budget.
  expect((await mint(keys.admin, item(201))).status()).toBe(201);
});

test.describe('admin UI', () => {
  test.use({ storageState: storageStateFor('admin') });

  test('creates a key shown once with a copy button, lists it with its last use, and revokes it at once', async ({ page }) => {
    const uiKey = keyName('ui');
    await page.goto('/admin');
    await page.getByRole('textbox', { name: 'Key name' }).fill(uiKey);
    await page.getByRole('combobox', { name: 'Key role' }).selectOption('support');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const created = page.getByTestId('api-key-created');
    await expect(created).toContainText(`Created API key ${uiKey} (support)`);
    await expect(page.getByRole('button', { name: 'Copy API key' })).toBeVisible();
    const key = (await page.getByTestId('api-key-value').textContent())!.trim();
    expect(key).toMatch(/^ivsc_[A-Za-z0-9_-]{43}$/);

    const row = page.getByTestId('api-key-table').locator(`tr[data-api-key="${uiKey}"]`);
    await expect(row).toContainText(key.slice(0, 11));
    await expect(row).not.toContainText(key.slice(11));
    await expect(row).toContainText('never');
    expect((await api.get('/api/v1/rooms', { headers: auth(key) })).status()).toBe(200);
    await page.reload();
    await expect(page.getByTestId('api-key-created')).toHaveCount(0);
    await expect(row).not.toContainText('never');

    await row.getByRole('button', { name: `Revoke ${uiKey}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke the API key ${uiKey}?` })
      .getByRole('button', { name: `Revoke ${uiKey}` })
      .click();
    await expect(row).toContainText('revoked');
    await expectError(await api.get('/api/v1/rooms', { headers: auth(key) }), 401, 'UNAUTHENTICATED');
  });
});
