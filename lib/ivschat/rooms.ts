import 'server-only';
import { GetRoomCommand, paginateListRooms, type RoomSummary as SdkRoomSummary } from '@aws-sdk/client-ivschat';
import { env } from '@/lib/env';
import { accountForArn, accounts, type Account } from './accounts';
import { ivschatClient, ivschatClientForRoom, regionFromArn } from './client';
import { describeIvschatError, type IvschatFailure } from './errors';
import type { RoomDetail, RoomListing, RoomSummary } from '@/lib/shared/rooms/view';

export type { RoomDetail, RoomListing, RoomSummary };

function reshapeSummary(room: SdkRoomSummary, region: string, account: Account): RoomSummary {
  return {
    arn: room.arn ?? '',
    id: room.id ?? '',
    name: room.name ?? '',
    region,
    accountLabel: account.label,
    tags: room.tags ?? {},
    updateTime: room.updateTime?.toISOString() ?? null,
  };
}

const LIST_TTL_MS = 15_000;
let cache: { at: number; value: Promise<RoomListing>; settled?: RoomListing } | null = null;

async function fetchRooms(): Promise<RoomListing> {
  const targets = accounts().flatMap((account) => account.regions.map((region) => ({ account, region })));
  const results = await Promise.all(
    targets.map(async ({ account, region }) => {
      const where = targets.length > env.IVSCHAT_REGIONS.length || account.config ? `${account.label} ${region}` : region;
      try {
        const rooms: RoomSummary[] = [];
        for await (const page of paginateListRooms({ client: ivschatClient(region, { account }), pageSize: 50 }, {})) {
          for (const room of page.rooms ?? []) rooms.push(reshapeSummary(room, region, account));
        }
        return { region: where, rooms };
      } catch (err) {
        return { region: where, rooms: [] as RoomSummary[], error: describeIvschatError(err, 'ListRooms').message };
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

type RoomResult = { ok: true; room: RoomDetail } | { ok: false; error: IvschatFailure };

// Rooms read for a policy check (their tags), kept briefly and shared by concurrent checks: room
// operations are 5 a second per account and region, so a pipeline minting many tokens for one
// tag-scoped room must not read the room once per mint (the governor would pace it to that rate).
const ROOM_DETAIL_TTL_MS = 15_000;
const detailCache = new Map<string, { at: number; result: Promise<RoomResult> }>();

/**
 * GetRoom, or with `maxAgeMs` a read at most that old (in flight or answered; failures are not
 * kept). The room settings card reads fresh; the policy checks accept ROOM_DETAIL_TTL_MS.
 */
export async function getRoom(arn: string, options: { maxAgeMs?: number } = {}): Promise<RoomResult> {
  if (!options.maxAgeMs) return readRoom(arn);
  const hit = detailCache.get(arn);
  if (hit && Date.now() - hit.at < Math.min(options.maxAgeMs, ROOM_DETAIL_TTL_MS)) return hit.result;
  if (detailCache.size >= 1000) detailCache.clear();
  const result = readRoom(arn);
  detailCache.set(arn, { at: Date.now(), result });
  void result.then((r) => {
    if (!r.ok && detailCache.get(arn)?.result === result) detailCache.delete(arn);
  });
  return result;
}

/** How old a room read the policy checks accept (its tags decide the room scope). */
export const POLICY_ROOM_MAX_AGE_MS = ROOM_DETAIL_TTL_MS;

async function readRoom(arn: string): Promise<RoomResult> {
  try {
    const region = regionFromArn(arn);
    const out = await ivschatClientForRoom(arn).send(new GetRoomCommand({ identifier: arn }));
    return {
      ok: true,
      room: {
        arn: out.arn ?? arn,
        id: out.id ?? '',
        name: out.name ?? '',
        region,
        accountLabel: accountForArn(arn)?.label ?? 'unknown',
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
