import type { Role } from '@/lib/shared/policy/roles';

/** Who a key belongs to: a member, or a service account admins manage. */
export interface ApiKeyOwner {
  kind: 'staff' | 'service';
  id: string;
  /** The member's email or the service account's name. */
  name: string;
  disabled: boolean;
}

/** An API key as the application sees it; the hash never leaves this module. */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  /** The key's first characters, e.g. `ivsc_AbC123`; not enough to use it. */
  prefix: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  /** The member or service account the key belongs to; null only for a key whose owner row is gone. */
  owner: ApiKeyOwner | null;
  /** `suspended`: the owner is disabled, so the key is refused until the owner is enabled again. */
  state: 'active' | 'revoked' | 'suspended';
}

/** A named owner of keys that is not a person (a pipeline, a team's bot). */
export interface ServiceAccount {
  id: string;
  name: string;
  disabled: boolean;
  createdAt: string;
  createdBy: string;
}
