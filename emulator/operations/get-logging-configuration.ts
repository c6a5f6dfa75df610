import { loggingConfigurationOutput, requireLoggingConfiguration } from './shared';
import type { Input, OperationContext } from './types';

export function getLoggingConfiguration(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const { identifier } = raw as { identifier: string };
  return loggingConfigurationOutput(requireLoggingConfiguration(ctx, identifier));
}
