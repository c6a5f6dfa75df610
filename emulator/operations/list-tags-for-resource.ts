import { requireResource } from './tags-shared';
import type { Input, OperationContext } from './types';

export function listTagsForResource(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const { resourceArn } = raw as { resourceArn: string };
  return { tags: { ...requireResource(ctx, resourceArn).tags } };
}
