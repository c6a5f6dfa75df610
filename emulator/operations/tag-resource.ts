import { validationError } from '../errors';
import { getShape } from '../model';
import { rejectReservedTagKeys, requireResource } from './tags-shared';
import type { Input, OperationContext } from './types';

export function tagResource(raw: Input, ctx: OperationContext): Record<string, unknown> {
  const input = raw as { resourceArn: string; tags: Record<string, string> };
  rejectReservedTagKeys(Object.keys(input.tags), 'tags');
  const res = requireResource(ctx, input.resourceArn);
  const merged = { ...res.tags, ...input.tags };
  // The Tags shape's max applies to the resource's resulting tag set, not just this request.
  const max = getShape('Tags').max;
  if (max !== undefined && Object.keys(merged).length > max) {
    throw validationError([{ name: 'tags', message: `Resource cannot have more than ${max} tags` }]);
  }
  res.tags = merged;
  return {};
}
