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
