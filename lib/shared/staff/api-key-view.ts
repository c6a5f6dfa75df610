import type { Role } from '@/lib/shared/policy/roles';

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
}
