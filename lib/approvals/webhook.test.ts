/**
 * The webhook's body and signature: what a receiver gets for a request and its decision, in both
 * formats, with nothing secret in it, and a signature it can recompute.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccessRequestView } from '@/lib/shared/approvals/view';
import { slackPayload, webhookPayload, webhookSignature } from './webhook';

const view: AccessRequestView = {
  id: 12,
  state: 'approved',
  live: true,
  requester: { id: 'staff-1', email: 'mod@example.com', role: 'moderator', apiKeyName: null },
  requesterIdentity: 'staff:staff-1',
  roomArn: 'arn:aws:ivschat:us-east-1:123456789012:room/MainStage001',
  userId: 'mod@example.com',
  capabilities: ['DELETE_MESSAGE'],
  windowMinutes: 30,
  sessionDurationInMinutes: 30,
  reason: 'MOD-4711 spam wave',
  approvalsRequired: 1,
  disconnectAtEnd: true,
  createdAt: '2026-12-02T01:00:00.000Z',
  expiresAt: '2026-12-02T02:00:00.000Z',
  approvedAt: '2026-12-02T01:05:00.000Z',
  windowEndsAt: '2026-12-02T01:35:00.000Z',
  decidedAt: '2026-12-02T01:05:00.000Z',
  endedAt: null,
  decisions: [
    {
      decision: 'approve',
      by: { id: 'staff-2', email: 'admin@example.com', role: 'admin', apiKeyName: null },
      rule: null,
      comment: 'ok',
      at: '2026-12-02T01:05:00.000Z',
    },
  ],
};

describe('approval webhook', () => {
  it('carries the request and the decision, and no identity internals or secrets', () => {
    const body = webhookPayload('access.approved', view, new Date('2026-12-02T01:05:01.000Z'));
    expect(body).toMatchObject({
      event: 'access.approved',
      request: { id: 12, userId: 'mod@example.com', capabilities: ['DELETE_MESSAGE'], windowEndsAt: '2026-12-02T01:35:00.000Z' },
      decision: { decision: 'approve', by: { email: 'admin@example.com', role: 'admin' }, comment: 'ok' },
    });
    const text = JSON.stringify(body);
    expect(text).not.toContain('staff:staff-1');
    expect(text).not.toMatch(/"(token|cookie|authorization|apiKey|fingerprint)"\s*:/i);
    expect(webhookPayload('access.requested', view).decision).toBeUndefined();
  });

  it('has a Slack form with the same facts', () => {
    const slack = slackPayload(webhookPayload('access.approved', view));
    expect(slack.text).toContain('Request #12: mod@example.com (moderator) was approved for DELETE_MESSAGE as mod@example.com');
    expect(slack.text).toContain('by admin@example.com: “ok”');
    expect(slack.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
  });

  it('is signed over the timestamp and the body', () => {
    const sig = webhookSignature('s'.repeat(20), '1796000000', '{"a":1}');
    expect(sig).toBe(`sha256=${createHmac('sha256', 's'.repeat(20)).update('1796000000.{"a":1}').digest('hex')}`);
    expect(webhookSignature('s'.repeat(20), '1796000001', '{"a":1}')).not.toBe(sig);
  });
});
