import { createHash } from 'node:crypto';
import { notFound, validationError } from '../errors';
import { iso, parseArn, type LoggingConfiguration, type Room } from '../state';
import type { OperationContext } from './types';

export function roomOutput(r: Room): Record<string, unknown> {
  return {
    arn: r.arn,
    id: r.id,
    name: r.name,
    createTime: iso(r.createTime),
    updateTime: iso(r.updateTime),
    maximumMessageRatePerSecond: r.maximumMessageRatePerSecond,
    maximumMessageLength: r.maximumMessageLength,
    messageReviewHandler: r.messageReviewHandler ? { ...r.messageReviewHandler } : undefined,
    tags: { ...r.tags },
    loggingConfigurationIdentifiers: [...r.loggingConfigurationIdentifiers],
  };
}

/** RoomSummary has no message limits in the model. */
export function roomSummary(r: Room): Record<string, unknown> {
  const { maximumMessageLength: _l, maximumMessageRatePerSecond: _r, ...rest } = roomOutput(r);
  return rest;
}

export function loggingConfigurationOutput(c: LoggingConfiguration): Record<string, unknown> {
  return {
    arn: c.arn,
    id: c.id,
    createTime: iso(c.createTime),
    updateTime: iso(c.updateTime),
    name: c.name,
    destinationConfiguration: structuredClone(c.destinationConfiguration),
    state: c.state,
    tags: { ...c.tags },
  };
}

function idOf(arn: string): string {
  return parseArn(arn)?.id ?? arn.replace(/[^a-zA-Z0-9]/g, '');
}

export function requireRoom(ctx: OperationContext, arn: string): Room {
  const r = ctx.store.get(arn, ctx.account, ctx.region);
  if (r?.kind !== 'room') throw notFound(idOf(arn), 'Room');
  return r;
}

export function requireLoggingConfiguration(ctx: OperationContext, arn: string): LoggingConfiguration {
  const r = ctx.store.get(arn, ctx.account, ctx.region);
  if (r?.kind !== 'logging-configuration') throw notFound(idOf(arn), 'Logging configuration');
  return r;
}

/** Checks every referenced logging configuration exists; returns them de-duplicated. */
export function resolveLoggingConfigurations(ctx: OperationContext, arns: string[] | undefined): string[] {
  const out: string[] = [];
  for (const arn of arns ?? []) {
    requireLoggingConfiguration(ctx, arn);
    if (!out.includes(arn)) out.push(arn);
  }
  return out;
}

/** Newest change first, as ListRooms documents; seq breaks ties within one millisecond. */
export function byUpdateTimeDesc<T extends { updateTime: number; seq: number }>(a: T, b: T): number {
  return b.updateTime - a.updateTime || b.seq - a.seq;
}

/**
 * Opaque page token bound to the filter it was issued for, so a token reused with another
 * filter is rejected rather than silently returning a wrong page.
 */
export function paginate<T>(
  items: T[],
  input: { nextToken?: string; maxResults?: number },
  filterKey: string,
): { page: T[]; nextToken?: string } {
  const max = input.maxResults ?? 50;
  filterKey = createHash('sha256').update(filterKey).digest('base64url').slice(0, 16);
  let offset = 0;
  if (input.nextToken) {
    const decoded = decodePageToken(input.nextToken);
    if (!decoded || decoded.f !== filterKey) {
      throw validationError([{ name: 'nextToken', message: 'Invalid pagination token' }]);
    }
    offset = decoded.o;
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max < items.length ? encodePageToken({ o: offset + max, f: filterKey }) : undefined;
  return { page, nextToken: next };
}

function encodePageToken(t: { o: number; f: string }): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodePageToken(s: string): { o: number; f: string } | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null && 'o' in v && 'f' in v) {
      const { o, f } = v;
      if (typeof o === 'number' && Number.isInteger(o) && o >= 0 && typeof f === 'string') return { o, f };
    }
  } catch {
    // fall through: not a token we issued
  }
  return undefined;
}
