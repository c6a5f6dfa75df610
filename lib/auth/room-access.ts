import 'server-only';
import { roleCan, rolePolicy } from '@/lib/auth/policy';
import { fail, ok, type Result } from '@/lib/contract/result';
import { roomArnRegionProblem } from '@/lib/ivschat/client';
import { ivschatFailure } from '@/lib/ivschat/errors';
import { getRoom, type RoomDetail } from '@/lib/ivschat/rooms';
import { checkRoomArn, checkRoomTags } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';

/**
 * A room's settings (GetRoom) for a role: only roles that act on rooms (mint, moderate, disconnect)
 * read them, and only for rooms in the role's scope, so pasting an ARN shows nothing of a room the
 * role may not use. Out-of-scope and unknown rooms get the same kind of answer the policy gives.
 */
export async function roomDetailsFor(role: Role, arn: string): Promise<Result<RoomDetail>> {
  if (!roleCan(role, 'mint') && !roleCan(role, 'moderate') && !roleCan(role, 'users.disconnect')) {
    const rule = `roles.${role}.mayMint`;
    return fail('FORBIDDEN', `The ${role} role does not act on rooms, so room settings are not shown (rule ${rule}).`, { rule });
  }
  const regionProblem = roomArnRegionProblem(arn);
  if (regionProblem) return fail('INVALID_INPUT', regionProblem, { fieldErrors: { roomArn: regionProblem } });
  const policy = rolePolicy(role);
  const byArn = checkRoomArn(role, policy, arn);
  if (byArn)
    return fail('FORBIDDEN', `${byArn.message} (rule ${byArn.rule})`, { rule: byArn.rule, fieldErrors: { roomArn: byArn.message } });
  const result = await getRoom(arn);
  if (!result.ok) return ivschatFailure(result.error);
  // Tags are known only once the room is read; a refusal here returns nothing of what was read.
  const byTags = checkRoomTags(role, policy, result.room.tags);
  if (byTags)
    return fail('FORBIDDEN', `${byTags.message} (rule ${byTags.rule})`, { rule: byTags.rule, fieldErrors: { roomArn: byTags.message } });
  return ok(result.room);
}
