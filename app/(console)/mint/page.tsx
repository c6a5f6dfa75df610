import type { Metadata } from 'next';
import { MintWorkspace } from '@/components/mint/mint-workspace';
import { rolePolicy } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { listPresets, presetsForRole } from '@/lib/presets/store';
import { roomInScope } from '@/lib/shared/policy/rules';

export const metadata: Metadata = { title: 'Mint a token' };

export default async function MintPage() {
  const staff = await requireStaff('/mint');
  const listing = await listAllRooms();
  const policy = rolePolicy(staff.role);
  const presets = presetsForRole(await listPresets(), staff.role, policy);
  return (
    <MintWorkspace
      // Only the rooms this role may mint for; a pasted ARN outside them is refused by mintToken.
      rooms={listing.rooms.filter((room) => roomInScope(staff.role, policy, room))}
      roomFailures={listing.failures}
      policy={policy}
      role={staff.role}
      endpoint={env.IVSCHAT_ENDPOINT ?? null}
      presets={presets}
      staffId={staff.id}
    />
  );
}
