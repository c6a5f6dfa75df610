import type { AttributeRow } from '@/lib/shared/tokens/attributes';
import type { Capability } from '@/lib/shared/tokens/limits';

/** What one successful mint hands back, once: the token and the request it answers. Client-safe (the result view). */
export interface MintedToken {
  token: string;
  tokenExpirationTime: string;
  sessionExpirationTime: string;
  issuedAt: string;
  auditId: string;
  requestId: string | null;
  request: {
    roomArn: string;
    region: string;
    userId: string;
    capabilities: Capability[];
    sessionDurationInMinutes: number;
    attributes: AttributeRow[];
    reason: string;
  };
  /** Set when the token was issued but the audit row could not be completed (it stays 'pending'). */
  auditWarning?: string;
}
