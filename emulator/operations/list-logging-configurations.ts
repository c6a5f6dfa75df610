import { byUpdateTimeDesc, loggingConfigurationOutput, paginate } from './shared';
import type { Input, OperationContext } from './types';

export function listLoggingConfigurations(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { nextToken?: string; maxResults?: number };
  const items = ctx.store.loggingConfigurations(ctx.account, ctx.region).sort(byUpdateTimeDesc);
  const { page, nextToken } = paginate(items, input, 'logging-configurations');
  return { loggingConfigurations: page.map(loggingConfigurationOutput), nextToken };
}
