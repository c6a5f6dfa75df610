import type { Metadata } from 'next';
import { Alert, Stack } from '@mantine/core';
import { MintWorkspace } from '@/components/mint/mint-workspace';
import { liveApprovalsOf } from '@/lib/approvals/requests';
import { rolePolicy } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { authorize } from '@/lib/contract/guard';
import { env } from '@/lib/env';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { listPresets, presetsForRole } from '@/lib/presets/store';
import type { AccessRequestView } from '@/lib/shared/approvals/view';
import { CAPABILITIES } from '@/lib/shared/tokens/limits';
import { formatUtc } from '@/lib/shared/tokens/expiry';
import { roomInScope, type RolePolicy } from '@/lib/shared/policy/rules';

export const metadata: Metadata = { title: 'Mint a token' };

/**
 * The form's view of the policy under live approvals: their capabilities, rooms and session lengths
 * become choosable. The form only offers; mintToken checks the mint against the role and the approval
 * that covers exactly that room and userId (lib/approvals/cover.ts).
 */
function widened(policy: RolePolicy, live: AccessRequestView[]): RolePolicy {
  if (!live.length) return policy;
  const caps = new Set<string>([...policy.capabilities, ...live.flatMap((a) => a.capabilities)]);
  return {
    ...policy,
    capabilities: CAPABILITIES.filter((c) => caps.has(c)),
    maxSessionMinutes: Math.max(policy.maxSessionMinutes, ...live.map((a) => a.sessionDurationInMinutes)),
    rooms: { ...policy.rooms, arns: [...policy.rooms.arns, ...live.map((a) => a.roomArn)] },
  };
}

export default async function MintPage() {
  const staff = await requireStaff('/mint');
  const auth = await authorize();
  const listing = await listAllRooms();
  const policy = rolePolicy(staff.role);
  const live = auth.ok && policy.requests ? await liveApprovalsOf(auth) : [];
  const formPolicy = widened(policy, live);
  const presets = presetsForRole(await listPresets(), staff.role, policy);
  const workspace = (
    <MintWorkspace
      // Only the rooms this role may mint for (and its live approvals' rooms); a pasted ARN outside them is refused by mintToken.
      rooms={listing.rooms.filter((room) => roomInScope(staff.role, policy, room) || live.some((a) => a.roomArn === room.arn))}
      roomFailures={listing.failures}
      policy={formPolicy}
      role={staff.role}
      endpoint={env.IVSCHAT_ENDPOINT ?? null}
      presets={presets}
      staffId={staff.id}
    />
  );
  if (!live.length) return workspace;
  return (
    <Stack gap="md">
      {live.map((a) => (
        <Alert
          key={a.id}
          color="teal"
          title={`Approval #${a.id} is live until ${formatUtc(new Date(a.windowEndsAt!))}`}
          data-testid="live-approval"
        >
          {a.capabilities.join(', ')} for {a.userId} in {a.roomArn}; sessions of at most {a.sessionDurationInMinutes} minutes, each ending
          by the window&apos;s end.{a.disconnectAtEnd ? ` When it ends, the console disconnects ${a.userId} in that room.` : ''}
        </Alert>
      ))}
      {workspace}
    </Stack>
  );
}
