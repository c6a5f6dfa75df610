/** Rooms as the console shows them: plain data, client-safe (the picker, the settings card, moderation). */
export interface RoomSummary {
  arn: string;
  id: string;
  name: string;
  region: string;
  /** The account's label from the accounts file (prod, staging, qa), or 'default' without one. */
  accountLabel: string;
  tags: Record<string, string>;
  updateTime: string | null;
}

export interface RoomDetail extends RoomSummary {
  maximumMessageLength: number | null;
  maximumMessageRatePerSecond: number | null;
  messageReviewHandler: { uri: string | null; fallbackResult: string | null } | null;
  loggingConfigurationIdentifiers: string[];
  createTime: string | null;
}

export interface RoomListing {
  rooms: RoomSummary[];
  /** Regions that could not be listed, and why; the others are still shown. */
  failures: { region: string; message: string }[];
  fetchedAt: string;
}
