'use server';

import { authorize } from '@/lib/contract/guard';
import { fail, ok, type Result } from '@/lib/contract/result';
import { ivschatFailure } from '@/lib/ivschat/errors';
import { getRoom, type RoomDetail } from '@/lib/ivschat/rooms';
import { roomArnSchema } from '@/lib/shared/tokens/schema';

/** The chosen room's settings, shown beside the form (GetRoom). */
export async function getRoomAction(arn: unknown): Promise<Result<RoomDetail>> {
  const auth = await authorize();
  if (!auth.ok) return auth;
  const parsed = roomArnSchema.safeParse(arn);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'Not a room ARN.';
    return fail('INVALID_INPUT', message, { fieldErrors: { roomArn: message } });
  }
  const result = await getRoom(parsed.data);
  return result.ok ? ok(result.room) : ivschatFailure(result.error);
}
