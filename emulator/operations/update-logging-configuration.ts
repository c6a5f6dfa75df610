import type { DestinationConfiguration } from '../state';
import { loggingConfigurationOutput, requireLoggingConfiguration } from './shared';
import type { Input, OperationContext } from './types';

export function updateLoggingConfiguration(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { identifier: string; name?: string; destinationConfiguration?: DestinationConfiguration };
  const lc = requireLoggingConfiguration(ctx, input.identifier);
  if (input.name !== undefined) lc.name = input.name;
  if (input.destinationConfiguration !== undefined) lc.destinationConfiguration = structuredClone(input.destinationConfiguration);
  lc.updateTime = ctx.now;
  lc.seq = ctx.store.nextSeq();
  return loggingConfigurationOutput(lc);
}
