/**
 * How the console words a moderation call IVS accepted. DisconnectUser and DeleteMessage answer
 * only "accepted": IVS does not say whether the user had a connection or whether any client still
 * showed the message, so the words claim no more than that.
 */
export function disconnectAcceptedText(userId: string, room: string): string {
  return `IVS accepted the disconnect for ${userId} in ${room}. IVS does not report whether they were connected; any connection they had is closed.`;
}

export function deleteAcceptedText(messageId: string, room: string): string {
  return `IVS accepted the delete of message ${messageId} in ${room}: the room's connected clients were sent a delete event. IVS does not report whether any client still showed the message.`;
}

/** The short form for lists (the Activity view). */
export function disconnectSummary(userId: string): string {
  return `Disconnect of ${userId} (accepted by IVS)`;
}

/**
 * Whether a mint's record may stand for a live token, so offering to disconnect its user makes
 * sense: issued, or pending (the answer was lost: a token may exist). A failed or refused mint
 * issued nothing.
 */
export function tokenMayExist(status: string): boolean {
  return status === 'issued' || status === 'pending';
}
