import { describe, expect, it } from 'vitest';
import { chatSocketOrigins, ivschatRegions, publicUrl } from '@/lib/env-schema.mjs';

describe('env-schema', () => {
  it('parses the regions list once for the console and the CSP', () => {
    expect(ivschatRegions({ IVSCHAT_REGIONS: ' us-east-1, eu-west-1 ,,' })).toEqual(['us-east-1', 'eu-west-1']);
    expect(ivschatRegions({})).toEqual(['us-east-1']);
    expect(chatSocketOrigins({ IVSCHAT_REGIONS: 'us-east-1,eu-west-1' })).toEqual([
      'wss://edge.ivschat.us-east-1.amazonaws.com',
      'wss://edge.ivschat.eu-west-1.amazonaws.com',
    ]);
  });
  it('uses the endpoint override for the chat origin', () => {
    expect(chatSocketOrigins({ IVSCHAT_ENDPOINT: 'http://127.0.0.1:4577', IVSCHAT_REGIONS: 'us-east-1' })).toEqual(['ws://127.0.0.1:4577']);
    expect(chatSocketOrigins({ IVSCHAT_ENDPOINT: 'https://chat.example' })).toEqual(['wss://chat.example']);
  });
  it('falls back to localhost and PORT for the public URL', () => {
    expect(publicUrl({ PORT: '3100' })).toBe('http://localhost:3100');
    expect(publicUrl({ NEXTAUTH_URL: 'https://c.example', PORT: '3100' })).toBe('https://c.example');
  });
});
