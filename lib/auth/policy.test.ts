import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkMintRequest, checkRoomArn, matchesGlob } from '@/lib/shared/policy/rules';
import { rolePolicySchema } from '@/lib/shared/policy/file-schema';
import { loadPolicyFile } from './policy';

const dir = mkdtempSync(join(tmpdir(), 'policy-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shipped = JSON.parse(readFileSync('config/policy.json', 'utf8'));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('the policy file', () => {
  it('the shipped file is valid and has the documented defaults', () => {
    const p = loadPolicyFile('config/policy.json');
    expect(p.roles.viewer).toMatchObject({ mayMint: false, mayReadAudit: true, mayManageStaff: false });
    expect(p.roles.support).toMatchObject({ capabilities: ['SEND_MESSAGE'], maxSessionMinutes: 60 });
    expect(p.roles.moderator).toMatchObject({ maxSessionMinutes: 180, reasonRequiredFor: ['DELETE_MESSAGE', 'DISCONNECT_USER'] });
    expect(p.roles.qa.rooms.tags).toEqual({ env: 'qa' });
    expect(p.roles.admin).toMatchObject({ mayManageStaff: true, mayManageApiKeys: true, mayDisconnectUsers: true });
    expect(p.rateLimits.mintPerStaff).toEqual({ max: 60, windowSeconds: 60 });
    expect(Object.isFrozen(p.roles.support.capabilities)).toBe(true);
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'a duration past the service limit',
      { ...shipped, roles: { ...shipped.roles, support: { ...shipped.roles.support, maxSessionMinutes: 240 } } },
      /roles\.support\.maxSessionMinutes/,
    ],
    [
      'an unknown capability',
      { ...shipped, roles: { ...shipped.roles, qa: { ...shipped.roles.qa, capabilities: ['SEND_MESSAGE', 'BAN_USER'] } } },
      /roles\.qa\.capabilities\.1/,
    ],
    [
      'a misspelt key',
      { ...shipped, roles: { ...shipped.roles, admin: { ...shipped.roles.admin, mayManageStuff: true } } },
      /roles\.admin.*mayManageStuff/,
    ],
    ['a missing role', { ...shipped, roles: { ...shipped.roles, viewer: undefined } }, /roles\.viewer/],
    ['a bad rate limit', { ...shipped, rateLimits: { mintPerStaff: { max: 0, windowSeconds: 60 } } }, /rateLimits\.mintPerStaff\.max/],
    ['not JSON', '{ "version": 1, ', /Invalid policy file .*JSON/],
  ];
  for (const [name, content, message] of bad) {
    it(`refuses ${name}, naming the entry`, () => {
      const file = write(`${name.replace(/\W+/g, '-')}.json`, content);
      expect(() => loadPolicyFile(file)).toThrow(message);
    });
  }
});

describe('policy evaluation', () => {
  const scoped = rolePolicySchema.parse({
    mayMint: true,
    capabilities: ['SEND_MESSAGE'],
    maxSessionMinutes: 30,
    rooms: { arns: ['arn:aws:ivschat:*:123456789012:room/Qa*'], regions: ['us-east-1', 'us-west-2'] },
  });
  it('matches ARN globs literally apart from * and ?', () => {
    expect(matchesGlob('arn:aws:ivschat:*:1:room/Qa*', 'arn:aws:ivschat:us-east-1:1:room/QaX')).toBe(true);
    expect(matchesGlob('arn:aws:ivschat:*:1:room/Qa.', 'arn:aws:ivschat:us-east-1:1:room/QaX')).toBe(false);
    expect(matchesGlob('room/a?c', 'room/abc')).toBe(true);
  });
  it('refuses rooms outside the ARN patterns or regions, naming the rule', () => {
    expect(checkRoomArn('qa', scoped, 'arn:aws:ivschat:us-east-1:999999999999:room/QaSandbox001')?.rule).toBe('roles.qa.rooms.arns');
    expect(checkRoomArn('qa', scoped, 'arn:aws:ivschat:eu-west-1:123456789012:room/QaSandbox001')?.rule).toBe('roles.qa.rooms.regions');
    expect(checkRoomArn('qa', scoped, 'arn:aws:ivschat:us-west-2:123456789012:room/QaSandbox001')).toBeNull();
  });
  it('lists every broken rule with its field', () => {
    const refusals = checkMintRequest('qa', scoped, {
      roomArn: 'arn:aws:ivschat:eu-west-1:123456789012:room/QaSandbox001',
      userId: 'u',
      attributes: [],
      capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE'],
      sessionDurationInMinutes: 31,
      reason: '',
    });
    expect(refusals.map((r) => [r.rule, r.field])).toEqual([
      ['roles.qa.rooms.regions', 'roomArn'],
      ['roles.qa.capabilities', 'capabilities'],
      ['roles.qa.maxSessionMinutes', 'sessionDurationInMinutes'],
      ['roles.qa.reasonRequiredFor', 'reason'],
    ]);
  });
});
