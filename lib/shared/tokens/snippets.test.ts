import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { awsCliSnippet, jsSdkSnippet, shellQuote } from '@/lib/shared/tokens/snippets';

const req = {
  roomArn: 'arn:aws:ivschat:eu-west-1:123456789012:room/AbCdEfGhIjKl',
  region: 'eu-west-1',
  userId: "o'brien $HOME",
  capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'],
  sessionDurationInMinutes: 90,
  attributes: [{ key: 'name', value: 'Ann "A" 😀' }],
};

describe('snippets', () => {
  it('quotes for a real shell', () => {
    const echoed = execFileSync('sh', ['-c', `printf %s ${shellQuote(req.userId)}`]).toString();
    expect(echoed).toBe(req.userId);
  });
  it('writes an AWS CLI command with every member', () => {
    const cli = awsCliSnippet(req, 'http://127.0.0.1:4577');
    expect(cli).toContain('--region eu-west-1');
    expect(cli).toContain("--endpoint-url 'http://127.0.0.1:4577'");
    expect(cli).toContain('--capabilities SEND_MESSAGE DELETE_MESSAGE');
    expect(cli).toContain('--session-duration-in-minutes 90');
    const attrs = execFileSync('sh', ['-c', `printf %s ${cli.split('--attributes ')[1]}`]).toString();
    expect(JSON.parse(attrs)).toEqual({ name: 'Ann "A" 😀' });
  });
  it('writes a JS SDK v3 call', () => {
    const js = jsSdkSnippet(req, null);
    expect(js).toContain('new IvschatClient({ region: "eu-west-1" })');
    expect(js).toContain('"sessionDurationInMinutes": 90');
    expect(js).not.toContain('endpoint');
  });
});
