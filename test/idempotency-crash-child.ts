/**
 * A console process serving POST /api/v1/tokens with an Idempotency-Key, to be killed while
 * CreateChatToken hangs (lib/api/idempotency-crash.test.ts). The route handler itself, in process.
 */
const { POST } = await import('@/app/api/v1/tokens/route');
process.stdout.write('serving\n');
const response = await POST(
  new Request('http://127.0.0.1/api/v1/tokens', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${process.env.CRASH_API_KEY}`,
      'idempotency-key': 'job-7-step-2',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001', userId: 'crash-user' }),
  }),
);
process.stdout.write(`answered ${response.status}\n`);
export {};
