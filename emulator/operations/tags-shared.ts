import { notFound } from '../errors';
import { parseArn, type Resource } from '../state';
import type { OperationContext } from './types';

export function requireResource(ctx: OperationContext, arn: string): Resource {
  const r = ctx.store.get(arn, ctx.account, ctx.region);
  if (!r) throw notFound(parseArn(arn)?.id ?? arn.replace(/[^a-zA-Z0-9]/g, ''), 'Resource');
  return r;
}
