'use server';

import { getCurrentStaff } from '@/lib/auth/session';
import { mintToken, type MintedToken } from '@/lib/mint/mint-token';
import type { FieldErrors } from '@/lib/shared/tokens/schema';

export type MintTokenActionResult =
  | { ok: true; data: MintedToken }
  | { ok: false; message: string; fieldErrors?: FieldErrors; code: string; rule?: string; retryAfterSeconds?: number };

/** The mint form's server action: a thin adapter over mintToken; the session is checked here, every time. */
export async function mintTokenAction(input: unknown): Promise<MintTokenActionResult> {
  const staff = await getCurrentStaff();
  if (!staff) return { ok: false, code: 'UNAUTHENTICATED', message: 'Your session has ended. Sign in again to mint.' };
  try {
    const result = await mintToken({ staffId: staff.id, email: staff.email, role: staff.role, via: 'ui' }, input);
    if (result.ok) return result;
    return {
      ok: false,
      code: result.awsCode ?? result.code,
      message: result.message,
      fieldErrors: result.fieldErrors,
      rule: result.rule,
      retryAfterSeconds: result.retryAfterSeconds,
    };
  } catch {
    return { ok: false, code: 'INTERNAL', message: 'Something went wrong on the server; no token was issued.' };
  }
}
