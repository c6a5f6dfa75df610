import 'server-only';
import { GetRoomCommand, paginateListRooms, type RoomSummary as SdkRoomSummary } from '@aws-sdk/client-ivschat';
import { env } from '@/lib/env';
import { ivschatClient, regionFromArn } from './client';
import { describeIvschatError, type IvschatFailure } from './errors';

export interface RoomSummary {
  arn: string;
  id: string;
  name: string;
  region: string;
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

function reshapeSummary(room: SdkRoomSummary, region: string): RoomSummary {
  return {
    arn: room.arn ?? '',
    id: room.id ?? '',
    name: room.name ?? '',
    region,
    tags: room.tags ?? {},
    updateTime: room.updateTime?.toISOString() ?? null,
  };
}

const LIST_TTL_MS = 15_000;
let cache: { at: number; value: Promise<RoomListing>; settled?: RoomListing } | null = null;

async function fetchRooms(): Promise<RoomListing> {
  const results = await Promise.all(
    env.IVSCHAT_REGIONS.map(async (region) => {
      try {
        const rooms: RoomSummary[] = [];
        for await (const page of paginateListRooms({ client: ivschatClient(region), pageSize: 50 }, {})) {
          for (const room of page.rooms ?? []) rooms.push(reshapeSummary(room, region));
        }
        return { region, rooms };
      } catch (err) {
        return { region, rooms: [] as RoomSummary[], error: describeIvschatError(err, 'ListRooms').message };
      }
    }),
  );
  const rooms = results.flatMap((r) => r.rooms).sort((a, b) => a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn));
  const failures = results
    .filter((r) => 'error' in r && r.error)
    .map((r) => ({ region: r.region, message: (r as { error: string }).error }));
  return { rooms, failures, fetchedAt: new Date().toISOString() };
}

/** Every room in the configured regions, paginated to the end; cached briefly so the picker is instant. */
export async function listAllRooms(options: { fresh?: boolean } = {}): Promise<RoomListing> {
  const now = Date.now();
  if (!options.fresh && cache && now - cache.at < LIST_TTL_MS) return cache.value;
  const value = fetchRooms();
  const entry: NonNullable<typeof cache> = { at: now, value };
  cache = entry;
  value.then(
    (v) => {
      entry.settled = v;
      if (v.failures.length && cache === entry) cache = null;
    },
    () => {
      if (cache === entry) cache = null;
    },
  );
  return value;
}

/**
 * The room's listing entry when the picker's listing is cached and fresh, without fetching;
 * the policy check falls back to GetRoom otherwise.
 */
export function cachedRoomSummary(arn: string): RoomSummary | null {
  if (!cache?.settled || Date.now() - cache.at >= LIST_TTL_MS) return null;
  return cache.settled.rooms.find((r) => r.arn === arn) ?? null;
}

export async function getRoom(arn: string): Promise<{ ok: true; room: RoomDetail } | { ok: false; error: IvschatFailure }> {
  try {
    const region = regionFromArn(arn);
    const out = await ivschatClient(region).send(new GetRoomCommand({ identifier: arn }));
    return {
      ok: true,
      room: {
        arn: out.arn ?? arn,
        id: out.id ?? '',
        name: out.name ?? '',
        region,
        tags: out.tags ?? {},
        updateTime: out.updateTime?.toISOString() ?? null,
        createTime: out.createTime?.toISOString() ?? null,
        maximumMessageLength: out.maximumMessageLength ?? null,
        maximumMessageRatePerSecond: out.maximumMessageRatePerSecond ?? null,
        messageReviewHandler: out.messageReviewHandler
          ? { uri: out.messageReviewHandler.uri || null, fallbackResult: out.messageReviewHandler.fallbackResult ?? null }
          : null,
        loggingConfigurationIdentifiers: out.loggingConfigurationIdentifiers ?? [],
      },
    };
  } catch (err) {
    return { ok: false, error: describeIvschatError(err, 'GetRoom') };
  }
}
