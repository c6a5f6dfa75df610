import { rejectReservedTagKeys, requireResource } from './tags-shared';
import type { Input, OperationContext } from './types';

export function untagResource(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { resourceArn: string; tagKeys: string[] };
  rejectReservedTagKeys(input.tagKeys, 'tagKeys');
  const res = requireResource(ctx, input.resourceArn);
  for (const k of input.tagKeys) delete res.tags[k];
  return {};
}
