'use server';

import { authorize } from '@/lib/contract/guard';
import { fail, type Result } from '@/lib/contract/result';
import { mintToken, type MintedToken } from '@/lib/mint/mint-token';

/** The mint form's server action: a thin adapter over mintToken; the session is checked here, every time. */
export async function mintTokenAction(input: unknown): Promise<Result<MintedToken>> {
  const auth = await authorize({ permission: 'mint' });
  if (!auth.ok) return auth;
  try {
    return await mintToken(auth.actor, input);
  } catch {
    return fail('INTERNAL', 'Something went wrong on the server; no token was issued.');
  }
}
