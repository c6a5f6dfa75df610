import type { Metadata } from 'next';
import { Alert, Stack, Text, Title } from '@mantine/core';
import { DenylistManager } from '@/components/moderation/denylist-manager';
import { ModerationPanel } from '@/components/moderation/moderation-panel';
import { roleCan, rolePolicy } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { listDenylist } from '@/lib/moderation/denylist';
import { roomInScope, roomScopeUnrestricted } from '@/lib/shared/policy/rules';

export const metadata: Metadata = { title: 'Moderation' };

export default async function ModerationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const staff = await requireStaff('/moderation');
  const canDisconnect = roleCan(staff.role, 'users.disconnect');
  const canModerate = roleCan(staff.role, 'moderate');
  // The deny list is the first thing support needs when a user cannot connect: roles that read the
  // audit log read it too, without changing it.
  const canReadDenylist = canModerate || roleCan(staff.role, 'audit.read');
  if (!canDisconnect && !canModerate && canReadDenylist) {
    return (
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2">
            Moderation
          </Title>
          <Text c="dimmed" size="sm">
            Your role ({staff.role}) may read the deny list but not change it or moderate rooms (roles.{staff.role}.mayModerate).
          </Text>
        </div>
        <DenylistManager entries={await listDenylist()} roomArn="" canDisconnect={false} readOnly />
      </Stack>
    );
  }
  if (!canDisconnect && !canModerate) {
    return (
      <Alert color="gray" title="No access">
        Your role ({staff.role}) may not moderate rooms (roles.{staff.role}.mayModerate, roles.{staff.role}.mayDisconnectUsers).
      </Alert>
    );
  }
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');
  const policy = rolePolicy(staff.role);
  const [listing, denylist] = await Promise.all([listAllRooms(), canModerate ? listDenylist() : Promise.resolve([])]);
  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Moderation
        </Title>
        <Text c="dimmed" size="sm">
          Disconnect a user, delete a message, send a custom event, and keep userIds from being minted for. Every action goes through the
          policy and is recorded in the audit log.
        </Text>
      </div>
      {listing.failures.map((f) => (
        <Alert key={f.region} color="orange" title={`Rooms in ${f.region} could not be listed`}>
          {f.message} You can still paste a room ARN.
        </Alert>
      ))}
      <ModerationPanel
        rooms={listing.rooms.filter((room) => roomInScope(staff.role, policy, room))}
        canDisconnect={canDisconnect}
        canModerate={canModerate}
        initialRoomArn={one(params.room)}
        initialUserId={one(params.userId)}
        denylist={denylist}
        denyEveryRoom={roomScopeUnrestricted(policy)}
        endpoint={env.IVSCHAT_ENDPOINT ?? null}
        canWatch={policy.mayMint}
        maxSessionMinutes={policy.maxSessionMinutes}
      />
    </Stack>
  );
}
