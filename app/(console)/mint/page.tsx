import type { Metadata } from 'next';
import { MintWorkspace } from '@/components/mint/mint-workspace';
import { roleCan } from '@/lib/auth/policy';
import { requireStaff } from '@/lib/auth/session';
import { env } from '@/lib/env';
import { listAllRooms } from '@/lib/ivschat/rooms';

export const metadata: Metadata = { title: 'Mint a token' };

export default async function MintPage() {
  const staff = await requireStaff('/mint');
  const listing = await listAllRooms();
  return (
    <MintWorkspace
      rooms={listing.rooms}
      roomFailures={listing.failures}
      canMint={roleCan(staff.role, 'mint')}
      role={staff.role}
      endpoint={env.IVSCHAT_ENDPOINT ?? null}
    />
  );
}
