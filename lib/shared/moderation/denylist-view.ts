/**
 * userIds mintToken refuses, for one room or every room, until removed or until their end time.
 * IVS cannot revoke a token already issued: this only stops new ones (pair it with DisconnectUser).
 */
export interface DenylistEntry {
  id: string;
  userId: string;
  /** null: every room. */
  roomArn: string | null;
  reason: string;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
}
