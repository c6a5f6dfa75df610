import { notFound, validationError } from '../errors';
import { parseArn, type Resource } from '../state';
import type { OperationContext } from './types';

export function requireResource(ctx: OperationContext, arn: string): Resource {
  const r = ctx.store.get(arn, ctx.account, ctx.region);
  if (!r) throw notFound(parseArn(arn)?.id ?? arn.replace(/[^a-zA-Z0-9]/g, ''), 'Resource');
  return r;
}

/**
 * "The aws: prefix is reserved for AWS use" (Tagging AWS Resources, tag naming limits), in any
 * letter case; the model points there for IVS Chat's tag rules.
 */
export function rejectReservedTagKeys(keys: Iterable<string>, field: string): void {
  for (const k of keys) {
    if (k.toLowerCase().startsWith('aws:')) {
      throw validationError([{ name: field, message: "Tag keys with the prefix 'aws:' are reserved for AWS use" }]);
    }
  }
}
