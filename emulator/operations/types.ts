import type { ChatHub } from '../chat';
import type { Stats } from '../control';
import type { Store } from '../state';
import type { TokenCodec } from '../tokens';

export interface OperationContext {
  store: Store;
  chat: ChatHub;
  codec: TokenCodec;
  stats: Stats;
  account: string;
  region: string;
  now: number;
  tokenTtlMs: number;
  /** Length of one "minute" of sessionDurationInMinutes; shortened only by tests. */
  sessionMinuteMs: number;
}

/** Input after model validation: shapes are guaranteed, so handlers narrow with typed views. */
export type Input = Record<string, unknown>;

/** Returns the response body, or undefined for operations whose model status is 204. */
export type OperationHandler = (input: Input, ctx: OperationContext) => Record<string, unknown> | undefined;
