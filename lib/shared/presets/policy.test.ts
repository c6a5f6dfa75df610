import { describe, expect, it } from 'vitest';
import { checkMintRequest, type RolePolicy } from '@/lib/shared/policy/rules';
import { presetRoleFieldErrors, presetRoleProblems } from './policy';
import { isUneditedTemplate } from './policy';

const base: RolePolicy = {
  mayMint: true,
  capabilities: ['SEND_MESSAGE'],
  maxSessionMinutes: 60,
  rooms: { arns: ['arn:aws:ivschat:*:*:room/*'], regions: ['*'], accounts: ['*'], tags: {} },
  reasonRequiredFor: ['DELETE_MESSAGE', 'DISCONNECT_USER'],
  mayReadAudit: true,
  mayManageStaff: false,
  mayManageApiKeys: false,
  mayDisconnectUsers: false,
  mayModerate: false,
  mayManagePresets: false,
};
const moderator: RolePolicy = { ...base, capabilities: ['SEND_MESSAGE', 'DELETE_MESSAGE', 'DISCONNECT_USER'], maxSessionMinutes: 180 };
const viewer: RolePolicy = { ...base, mayMint: false, capabilities: [], maxSessionMinutes: 1 };
const policies = { support: base, moderator, viewer };
const preset = {
  roles: ['moderator' as const],
  roomArn: '',
  capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'] as const,
  sessionDurationInMinutes: 120,
  attributes: [],
};

describe('presetRoleProblems', () => {
  it('finds nothing for a role whose policy allows the whole preset', () => {
    expect(presetRoleProblems({ ...preset, capabilities: [...preset.capabilities] }, policies)).toEqual([]);
  });
  it('names each role that could never use it, and why', () => {
    const problems = presetRoleProblems(
      { ...preset, capabilities: [...preset.capabilities], roles: ['moderator', 'support', 'viewer'] },
      policies,
    );
    expect(problems.map((p) => [p.role, p.rule])).toEqual([
      ['support', 'roles.support.capabilities'],
      ['support', 'roles.support.maxSessionMinutes'],
      ['viewer', 'roles.viewer.mayMint'],
    ]);
    const errors = presetRoleFieldErrors(problems);
    expect(errors.capabilities).toMatch(/support role may not grant DISCONNECT_USER/);
    expect(errors.sessionDurationInMinutes).toMatch(/at most 60 minutes/);
    expect(errors.roles).toMatch(/^support, viewer could never use this preset/);
  });
  it('checks the preset room only when it sets one', () => {
    const narrow = { ...base, rooms: { ...base.rooms, arns: ['arn:aws:ivschat:*:*:room/Qa*'] } };
    const p = { ...preset, roles: ['support' as const], capabilities: ['SEND_MESSAGE' as const], sessionDurationInMinutes: 30 };
    expect(presetRoleProblems(p, { support: narrow })).toEqual([]);
    expect(
      presetRoleProblems({ ...p, roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001' }, { support: narrow }).map(
        (x) => x.field,
      ),
    ).toEqual(['roomArn']);
  });
});

describe('an unedited reason template', () => {
  const templates = ['Temporary moderator for '];
  const request = {
    roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/QaSandbox001',
    capabilities: ['SEND_MESSAGE', 'DISCONNECT_USER'] as const,
    sessionDurationInMinutes: 30,
  };
  it('is not a reason where one is required', () => {
    expect(isUneditedTemplate('Temporary moderator for ', templates)).toBe(true);
    expect(isUneditedTemplate('  Temporary moderator for', templates)).toBe(true);
    const refusals = checkMintRequest(
      'moderator',
      moderator,
      { ...request, capabilities: [...request.capabilities], reason: 'Temporary moderator for ' },
      templates,
    );
    expect(refusals).toEqual([expect.objectContaining({ field: 'reason', rule: 'roles.moderator.reasonRequiredFor' })]);
    expect(refusals[0]!.message).toMatch(/preset's template as it was filled in; complete it/);
  });
  it('counts once it is completed, and where no reason is required', () => {
    expect(
      checkMintRequest(
        'moderator',
        moderator,
        { ...request, capabilities: [...request.capabilities], reason: 'Temporary moderator for the AMA' },
        templates,
      ),
    ).toEqual([]);
    expect(
      checkMintRequest(
        'moderator',
        moderator,
        { ...request, capabilities: ['SEND_MESSAGE'], reason: 'Temporary moderator for ' },
        templates,
      ),
    ).toEqual([]);
    expect(isUneditedTemplate('', [''])).toBe(false);
  });
});
