import { rolePolicy } from '@/lib/auth/policy';
import { authorize } from '@/lib/contract/guard';
import { failureResponse, jsonResponse } from '@/lib/contract/http';
import { fail } from '@/lib/contract/result';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { roomInScope } from '@/lib/shared/policy/rules';

export const dynamic = 'force-dynamic';

/** GET /api/v1/rooms: the rooms the key's role may mint in, from every configured region. */
export async function GET(request: Request): Promise<Response> {
  const auth = await authorize({ apiKeyFrom: request, permission: 'mint' });
  if (!auth.ok) return failureResponse(auth, { bearer: request });
  const { role } = auth;
  const policy = rolePolicy(role);
  const listing = await listAllRooms();
  if (listing.rooms.length === 0 && listing.failures.length > 0) {
    return failureResponse(
      fail('AWS_ERROR', `No region could be listed: ${listing.failures.map((f) => `${f.region}: ${f.message}`).join('; ')}`, {
        retryable: true,
      }),
      { extra: { failures: listing.failures } },
    );
  }
  const rooms = listing.rooms
    .filter((room) => roomInScope(role, policy, room))
    .map(({ arn, id, name, region, tags }) => ({ arn, id, name, region, tags }));
  return jsonResponse({ rooms, failures: listing.failures, fetchedAt: listing.fetchedAt });
}
