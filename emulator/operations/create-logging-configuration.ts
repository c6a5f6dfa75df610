import { quotaExceeded } from '../errors';
import { loggingConfigurationArn, randomId, type DestinationConfiguration, type LoggingConfiguration } from '../state';
import { loggingConfigurationOutput } from './shared';
import { rejectReservedTagKeys } from './tags-shared';
import type { Input, OperationContext } from './types';

/** IVS Chat service quota: 10 logging configurations per account per region. */
export const MAX_LOGGING_CONFIGURATIONS = 10;

export function createLoggingConfiguration(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { name?: string; destinationConfiguration: DestinationConfiguration; tags?: Record<string, string> };
  rejectReservedTagKeys(Object.keys(input.tags ?? {}), 'tags');
  const id = randomId();
  if (ctx.store.loggingConfigurations(ctx.account, ctx.region).length >= MAX_LOGGING_CONFIGURATIONS) {
    throw quotaExceeded(id, MAX_LOGGING_CONFIGURATIONS, `Maximum number of logging configurations (${MAX_LOGGING_CONFIGURATIONS}) reached`);
  }
  const lc: LoggingConfiguration = {
    kind: 'logging-configuration',
    arn: loggingConfigurationArn(ctx.region, ctx.account, id),
    id,
    account: ctx.account,
    region: ctx.region,
    name: input.name ?? '',
    createTime: ctx.now,
    updateTime: ctx.now,
    seq: ctx.store.nextSeq(),
    destinationConfiguration: structuredClone(input.destinationConfiguration),
    state: 'ACTIVE',
    tags: { ...(input.tags ?? {}) },
  };
  ctx.store.put(lc);
  return loggingConfigurationOutput(lc);
}
