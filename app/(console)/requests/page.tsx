import type { Metadata } from 'next';
import {
  Alert,
  Anchor,
  Badge,
  Stack,
  Table,
  TableScrollContainer,
  TableTbody,
  TableTd,
  TableTh,
  TableThead,
  TableTr,
  Text,
  Title,
} from '@mantine/core';
import { RequestForm } from '@/components/requests/request-form';
import { identityOf } from '@/lib/approvals/identity';
import { isApprover, listAccessRequests } from '@/lib/approvals/requests';
import { rolePolicy } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { authorize } from '@/lib/contract/guard';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { STATE_LABELS, type AccessRequestView } from '@/lib/shared/approvals/view';
import { formatUtc } from '@/lib/shared/tokens/expiry';
import { checkRoomArn, checkRoomTags } from '@/lib/shared/policy/rules';

export const metadata: Metadata = { title: 'Requests' };
export const dynamic = 'force-dynamic';

const STATE_COLORS: Record<string, string> = {
  pending: 'yellow',
  approved: 'teal',
  denied: 'red',
  expired: 'gray',
  cancelled: 'gray',
  ended: 'blue',
};

function RequestTable({ rows, label }: { rows: AccessRequestView[]; label: string }) {
  if (!rows.length) return <Text c="dimmed">None.</Text>;
  return (
    <TableScrollContainer minWidth={900}>
      <Table striped aria-label={label}>
        <TableThead>
          <TableTr>
            <TableTh>#</TableTh>
            <TableTh>State</TableTh>
            <TableTh>Requester</TableTh>
            <TableTh>userId</TableTh>
            <TableTh>Room</TableTh>
            <TableTh>Capabilities</TableTh>
            <TableTh>Window</TableTh>
            <TableTh>Reason</TableTh>
            <TableTh>Asked (UTC)</TableTh>
          </TableTr>
        </TableThead>
        <TableTbody>
          {rows.map((r) => (
            <TableTr key={r.id}>
              <TableTd>
                <Anchor href={`/requests/${r.id}`}>#{r.id}</Anchor>
              </TableTd>
              <TableTd>
                <Badge color={STATE_COLORS[r.state]} variant="light" miw="max-content">
                  {STATE_LABELS[r.state]}
                </Badge>
              </TableTd>
              <TableTd>
                {r.requester.email} ({r.requester.role}){r.requester.apiKeyName ? `, key ${r.requester.apiKeyName}` : ''}
              </TableTd>
              <TableTd ff="monospace">{r.userId}</TableTd>
              <TableTd ff="monospace" fz="xs">
                {r.roomArn.split('/').at(-1)}
              </TableTd>
              <TableTd>{r.capabilities.join(', ')}</TableTd>
              <TableTd>
                {r.windowMinutes} min{r.approvalsRequired > 1 ? ` · ${r.approvalsRequired} approvers` : ''}
              </TableTd>
              <TableTd>{r.reason}</TableTd>
              <TableTd>{formatUtc(new Date(r.createdAt))}</TableTd>
            </TableTr>
          ))}
        </TableTbody>
      </Table>
    </TableScrollContainer>
  );
}

export default async function RequestsPage() {
  const staff = await requireStaff('/requests');
  const auth = await authorize();
  if (!auth.ok) return <Alert color="red">{auth.message}</Alert>;
  const policy = rolePolicy(staff.role);
  const approver = isApprover(staff.role);
  const [pending, recent, listing] = await Promise.all([
    listAccessRequests(auth, { state: 'pending', limit: 100 }),
    listAccessRequests(auth, { limit: 50 }),
    policy.requests ? listAllRooms() : Promise.resolve(null),
  ]);
  const req = policy.requests;
  const rooms =
    req && listing
      ? listing.rooms.filter((r) => {
          const scope = { ...policy, rooms: req.rooms };
          return checkRoomArn(staff.role, scope, r.arn) === null && checkRoomTags(staff.role, scope, r.tags) === null;
        })
      : [];
  const identity = (await identityOf(auth.actor)).identity;
  const decidable = pending.ok ? pending.data.filter((r) => r.requesterIdentity !== identity) : [];
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Requests
        </Title>
        <Text c="dimmed" size="sm">
          Temporary grants on request: asked with a reason, approved or denied by someone else, time-boxed from approval. Every step is in
          the audit log.
        </Text>
      </div>
      {approver ? (
        <section aria-labelledby="inbox-heading">
          <Title order={2} size="h4" id="inbox-heading" mb="xs">
            Inbox: waiting for a decision ({decidable.length})
          </Title>
          <RequestTable rows={decidable} label="Pending requests" />
        </section>
      ) : (
        <Text size="sm" c="dimmed">
          Your role ({staff.role}) may not approve requests (approvals.approverRoles).
        </Text>
      )}
      {req ? (
        <RequestForm
          rooms={rooms}
          limits={{
            capabilities: [...new Set([...policy.capabilities, ...req.capabilities])],
            maxWindowMinutes: req.maxWindowMinutes,
            maxSessionMinutes: req.maxSessionMinutes,
            anyUserId: req.anyUserId,
            ownUserId: staff.email,
          }}
        />
      ) : (
        <Text size="sm" c="dimmed">
          Your role ({staff.role}) may not request temporary grants (roles.{staff.role}.requests).
        </Text>
      )}
      <section aria-labelledby="recent-heading">
        <Title order={2} size="h4" id="recent-heading" mb="xs">
          {approver || policy.mayReadAudit ? 'Recent requests' : 'Your requests'}
        </Title>
        {recent.ok ? <RequestTable rows={recent.data} label="Recent requests" /> : <Alert color="red">{recent.message}</Alert>}
      </section>
    </Stack>
  );
}
