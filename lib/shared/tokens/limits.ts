import { MODEL_LIMITS } from '@/lib/shared/tokens/limits.generated';

/** Numbers the service model holds (see scripts/gen-limits.ts). */
export const USER_ID_LIMITS = MODEL_LIMITS.userId;
export const DURATION_LIMITS = MODEL_LIMITS.sessionDurationInMinutes;
export const ROOM_ARN_LIMITS = MODEL_LIMITS.roomIdentifier;
export const ROOM_ARN_PATTERN = new RegExp(MODEL_LIMITS.roomIdentifier.pattern);
export const REASON_LIMITS = MODEL_LIMITS.reason;
export const CAPABILITIES = MODEL_LIMITS.capabilities;
export type Capability = (typeof CAPABILITIES)[number];

/** "Default: 60 (1 hour)" in the model's CreateChatTokenRequest documentation. */
export const DEFAULT_SESSION_MINUTES = 60;

/**
 * "The maximum length of this field is 1 KB total" (CreateChatToken docs; not in the model).
 * Counted as the UTF-8 bytes of every key and value.
 */
export const ATTRIBUTES_MAX_BYTES = 1024;
/** The counter warns from here on. */
export const ATTRIBUTES_WARN_BYTES = 896;

export const CAPABILITY_INFO: Record<Capability, { label: string; description: string }> = {
  SEND_MESSAGE: { label: 'Send messages', description: 'Post messages to the room.' },
  DELETE_MESSAGE: { label: 'Delete messages', description: "Remove anyone's message from the room." },
  DISCONNECT_USER: { label: 'Disconnect users', description: 'Close every connection of another user in the room.' },
};
