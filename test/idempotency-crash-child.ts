/**
 * A console process serving POST /api/v1/tokens with an Idempotency-Key, to be killed while
 * CreateChatToken hangs (lib/api/idempotency-crash.test.ts). It runs the route's own steps (the key
 * lookup, the claim, mintFromApi with the key) without the route module, whose session import
 * needs Next's runtime.
 */
const { authenticateApiKey } = await import('@/lib/api-keys/store');
const { claimIdempotencyKey, requestHash } = await import('@/lib/api/idempotency');
const { mintFromApi } = await import('@/lib/api/tokens');
const key = (await authenticateApiKey(`Bearer ${process.env.CRASH_API_KEY}`))!;
const text = JSON.stringify({ roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001', userId: 'crash-user' });
const claim = await claimIdempotencyKey(key.apiKeyId, 'job-7-step-2', requestHash(text));
process.stdout.write(`claimed ${JSON.stringify(claim)}\n`);
const actor = { staffId: key.staffId, email: key.email, role: key.role, via: 'api' as const, apiKeyName: key.apiKeyName };
const { response } = await mintFromApi(actor, JSON.parse(text), { apiKeyId: key.apiKeyId, idempotencyKey: 'job-7-step-2' });
process.stdout.write(`answered ${response.status}\n`);
export {};
