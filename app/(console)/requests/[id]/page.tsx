import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Alert, Badge, Card, Code, Group, List, ListItem, SimpleGrid, Stack, Text, Timeline, TimelineItem, Title } from '@mantine/core';
import { DecisionForm } from '@/components/requests/decision-form';
import { identityOf } from '@/lib/approvals/identity';
import { getAccessRequest, isApprover, mayReadRequest } from '@/lib/approvals/requests';
import { requestTimeline } from '@/lib/approvals/timeline';
import { requireStaff } from '@/lib/auth/session';
import { authorize } from '@/lib/contract/guard';
import { accessRequestIdSchema } from '@/lib/shared/approvals/schema';
import { STATE_LABELS } from '@/lib/shared/approvals/view';
import { formatUtc } from '@/lib/shared/tokens/expiry';

export const metadata: Metadata = { title: 'Request' };
export const dynamic = 'force-dynamic';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

const at = (iso: string | null) => (iso ? formatUtc(new Date(iso)) : '—');

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const staff = await requireStaff(`/requests/${encodeURIComponent(raw)}`);
  const auth = await authorize();
  if (!auth.ok) return <Alert color="red">{auth.message}</Alert>;
  const parsed = accessRequestIdSchema.safeParse(raw);
  if (!parsed.success) notFound();
  const view = await getAccessRequest(parsed.data);
  const identity = (await identityOf(auth.actor)).identity;
  if (!view || !(await mayReadRequest(auth, view, identity))) notFound();
  const own = view.requesterIdentity === identity;
  const timeline = await requestTimeline(view);
  const pending = view.state === 'pending';
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h2">
            Request #{view.id}
          </Title>
          <Text c="dimmed" size="sm">
            {view.requester.email} ({view.requester.role}
            {view.requester.apiKeyName ? `, key ${view.requester.apiKeyName}` : ''}) asks for {view.capabilities.join(', ')} as{' '}
            <Code>{view.userId}</Code>
          </Text>
        </div>
        <Badge size="lg" variant="light" data-testid="request-state">
          {STATE_LABELS[view.state]}
        </Badge>
      </Group>
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <Fact label="Room">
            <Code>{view.roomArn}</Code>
          </Fact>
          <Fact label="Capabilities">{view.capabilities.join(', ')}</Fact>
          <Fact label="Reason or ticket">{view.reason}</Fact>
          <Fact label="Window">{view.windowMinutes} minutes from approval</Fact>
          <Fact label="Longest session per token">{view.sessionDurationInMinutes} minutes, never past the window</Fact>
          <Fact label="Approvals needed">{view.approvalsRequired}</Fact>
          <Fact label="Asked (UTC)">{at(view.createdAt)}</Fact>
          <Fact label={pending ? 'Expires unanswered at (UTC)' : 'Unanswered expiry was (UTC)'}>{at(view.expiresAt)}</Fact>
          <Fact label="Approved (UTC)">{at(view.approvedAt)}</Fact>
          <Fact label="Window ends (UTC)">{at(view.windowEndsAt)}</Fact>
          <Fact label="At the end">
            {view.disconnectAtEnd ? `the console disconnects ${view.userId} in this room` : 'nothing (sessions end by themselves)'}
          </Fact>
        </SimpleGrid>
      </Card>
      {pending && (isApprover(staff.role) || own) && (
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h5">
              {isApprover(staff.role) ? 'Decide' : 'Your request'}
            </Title>
            {own && isApprover(staff.role) && (
              <Text size="sm" c="orange">
                You asked for this{view.requester.apiKeyName ? ` (through a key of yours)` : ''}: another approver must decide it.
              </Text>
            )}
            <DecisionForm id={view.id} canDecide={isApprover(staff.role)} canCancel={own} />
          </Stack>
        </Card>
      )}
      <section aria-labelledby="timeline-heading">
        <Title order={2} size="h4" id="timeline-heading" mb="sm">
          Timeline
        </Title>
        {timeline.length === 0 ? (
          <Text c="dimmed">No audit entries yet.</Text>
        ) : (
          <Timeline active={timeline.length - 1} bulletSize={14} lineWidth={2} data-testid="request-timeline">
            {timeline.map((e) => (
              <TimelineItem key={e.auditId} title={e.text}>
                <Text size="xs" c="dimmed">
                  {at(e.at)} · {e.actor} · {e.via}
                </Text>
                {e.reason && <Text size="sm">“{e.reason}”</Text>}
              </TimelineItem>
            ))}
          </Timeline>
        )}
      </section>
      {view.decisions.length > 0 && (
        <section aria-labelledby="decisions-heading">
          <Title order={2} size="h4" id="decisions-heading" mb="xs">
            Decisions
          </Title>
          <List>
            {view.decisions.map((d) => (
              <ListItem key={d.at + (d.by?.id ?? d.rule)}>
                {d.decision === 'approve' ? 'Approved' : 'Denied'} by {d.by ? `${d.by.email} (${d.by.role})` : `rule ${d.rule}`} at{' '}
                {at(d.at)}
                {d.comment ? `: “${d.comment}”` : ''}
              </ListItem>
            ))}
          </List>
        </section>
      )}
    </Stack>
  );
}
