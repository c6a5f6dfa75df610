import { apiError, apiJson, authenticateRequest } from '@/lib/api/http';
import { rolePolicy } from '@/lib/auth/policy';
import { listAllRooms } from '@/lib/ivschat/rooms';
import { roomInScope } from '@/lib/shared/policy/rules';

export const dynamic = 'force-dynamic';

/** GET /api/v1/rooms: the rooms the key's role may mint in, from every configured region. */
export async function GET(request: Request): Promise<Response> {
  const auth = await authenticateRequest(request);
  if (!auth.ok) return auth.response;
  const { role } = auth.actor;
  const policy = rolePolicy(role);
  if (!policy.mayMint) {
    const rule = `roles.${role}.mayMint`;
    return apiError(403, 'FORBIDDEN', `The ${role} role may not mint tokens (rule ${rule}).`, { rule });
  }
  const listing = await listAllRooms();
  if (listing.rooms.length === 0 && listing.failures.length > 0) {
    return apiError(502, 'AWS_ERROR', `No region could be listed: ${listing.failures.map((f) => `${f.region}: ${f.message}`).join('; ')}`, {
      retryable: true,
      failures: listing.failures,
    });
  }
  const rooms = listing.rooms
    .filter((room) => roomInScope(role, policy, room))
    .map(({ arn, id, name, region, tags }) => ({ arn, id, name, region, tags }));
  return apiJson({ rooms, failures: listing.failures, fetchedAt: listing.fetchedAt });
}
