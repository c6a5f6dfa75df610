import 'server-only';
import { createHmac } from 'node:crypto';
import { env } from '@/lib/env';
import { log } from '@/lib/log';
import { metrics } from '@/lib/ops/metrics';
import type { AccessRequestView } from '@/lib/shared/approvals/view';

export type WebhookEvent =
  'access.requested' | 'access.approved' | 'access.denied' | 'access.cancelled' | 'access.expired' | 'access.ended';

/**
 * The facts of a request an approver needs, and nothing secret: no token (none exists yet), no
 * cookie, no API key (only its name), no fingerprint. The same object is the `json` body and the
 * source of the Slack text.
 */
export function webhookPayload(event: WebhookEvent, view: AccessRequestView, at = new Date()) {
  const base = env.NEXTAUTH_URL ?? '';
  const last = view.decisions.at(-1);
  return {
    event,
    at: at.toISOString(),
    url: `${base}/requests/${view.id}`,
    request: {
      id: view.id,
      state: view.state,
      requester: { email: view.requester.email, role: view.requester.role, apiKeyName: view.requester.apiKeyName },
      roomArn: view.roomArn,
      userId: view.userId,
      capabilities: view.capabilities,
      windowMinutes: view.windowMinutes,
      sessionDurationInMinutes: view.sessionDurationInMinutes,
      reason: view.reason,
      approvalsRequired: view.approvalsRequired,
      createdAt: view.createdAt,
      expiresAt: view.expiresAt,
      approvedAt: view.approvedAt,
      windowEndsAt: view.windowEndsAt,
    },
    decision:
      event === 'access.approved' || event === 'access.denied'
        ? last
          ? {
              decision: last.decision,
              by: last.by ? { email: last.by.email, role: last.by.role } : null,
              rule: last.rule,
              comment: last.comment,
            }
          : null
        : undefined,
  };
}

const SLACK_VERB: Record<WebhookEvent, string> = {
  'access.requested': 'asks for',
  'access.approved': 'was approved for',
  'access.denied': 'was denied',
  'access.cancelled': 'cancelled the request for',
  'access.expired': 'got no answer for',
  'access.ended': 'reached the end of the window for',
};

export function slackPayload(payload: ReturnType<typeof webhookPayload>) {
  const r = payload.request;
  const d = payload.decision;
  const by = d ? ` by ${d.by?.email ?? `rule ${d.rule}`}${d.comment ? `: “${d.comment}”` : ''}` : '';
  const text =
    `Request #${r.id}: ${r.requester.email} (${r.requester.role}) ${SLACK_VERB[payload.event as WebhookEvent]} ` +
    `${r.capabilities.join(', ')} as ${r.userId} in ${r.roomArn} for ${r.windowMinutes} min${by}. Reason: ${r.reason}. <${payload.url}|Open>`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** `X-Console-Signature: sha256=<hex>` over `<timestamp>.<body>`, keyed by APPROVALS_WEBHOOK_SECRET. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * Sends the event without waiting for it: a receiver that is down or slow never blocks a request or
 * a decision. A failed delivery is logged and counted (ivs_console_approval_webhook_deliveries_total).
 */
export function notifyWebhook(event: WebhookEvent, view: AccessRequestView): void {
  const url = env.APPROVALS_WEBHOOK_URL;
  const secret = env.APPROVALS_WEBHOOK_SECRET;
  if (!url || !secret) return;
  const payload = webhookPayload(event, view);
  const body = JSON.stringify(env.APPROVALS_WEBHOOK_FORMAT === 'slack' ? slackPayload(payload) : payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  void fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-console-event': event,
      'x-console-timestamp': timestamp,
      'x-console-signature': webhookSignature(secret, timestamp, body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(5_000),
  })
    .then(async (res) => {
      await res.arrayBuffer().catch(() => {});
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      metrics().webhookDeliveries.inc({ event, outcome: 'delivered' });
    })
    .catch((err: unknown) => {
      metrics().webhookDeliveries.inc({ event, outcome: 'failed' });
      log.warn(
        {
          event: 'approvals.webhook_failed',
          webhookEvent: event,
          requestId: view.id,
          err: err instanceof Error ? err.message : String(err),
        },
        'access-request webhook not delivered',
      );
    });
}
