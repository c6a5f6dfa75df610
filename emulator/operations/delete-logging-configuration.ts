import { conflict } from '../errors';
import { requireLoggingConfiguration } from './shared';
import type { Input, OperationContext } from './types';

export function deleteLoggingConfiguration(raw: Input, ctx: OperationContext): undefined {
  const { identifier } = raw as { identifier: string };
  const lc = requireLoggingConfiguration(ctx, identifier);
  // Inferred: a configuration still attached to rooms cannot be deleted (ConflictException is
  // modelled for this operation, and dangling room references would otherwise appear).
  const users = ctx.store.rooms(ctx.account, ctx.region).filter((r) => r.loggingConfigurationIdentifiers.includes(lc.arn));
  if (users.length > 0) {
    throw conflict(lc.id, `Logging configuration ${lc.id} is in use by ${users.length} room(s)`);
  }
  ctx.store.delete(lc.arn);
  return undefined;
}
