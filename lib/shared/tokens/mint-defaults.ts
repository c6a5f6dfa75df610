import { DEFAULT_SESSION_MINUTES } from '@/lib/shared/tokens/limits';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';

/**
 * A new mint form's values. Apart from ./schema.ts (type import only), so the mint page can render
 * the form without loading zod: the schema comes with the resolver, on demand (mint-resolver.ts).
 */
export const MINT_DEFAULTS: MintTokenRequest = {
  roomArn: '',
  userId: '',
  attributes: [],
  capabilities: ['SEND_MESSAGE'],
  sessionDurationInMinutes: DEFAULT_SESSION_MINUTES,
  reason: '',
};

/**
 * The session length used when a request leaves it out: the service's default (60 minutes), or the
 * role's longest session when that is shorter, so leaving it out never asks for more than the role
 * may grant. The form, the API and bulk runs use the same rule.
 */
export function defaultSessionMinutes(maxSessionMinutes: number): number {
  return Math.max(1, Math.min(DEFAULT_SESSION_MINUTES, maxSessionMinutes));
}
