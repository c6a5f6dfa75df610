import 'server-only';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { isOutcomeUnknown } from './errors';

/**
 * The SDK's standard retry policy (exponential backoff with jitter, a retry-token bucket, at most
 * `maxAttempts`) for CreateChatToken, minus one case: a failure whose answer was lost after the
 * request may have reached AWS (a request timeout, a connection reset after sending). The call is
 * not idempotent, so retrying it could issue a second token that no audit row records; it fails
 * at once instead and the mint's audit row stays 'pending' (outcome unknown). Throttling and 5xx
 * answers, connection refused and connect timeouts (nothing was sent) keep the standard retries.
 */
export class NoAmbiguousRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';
  private readonly standard: StandardRetryStrategy;

  constructor(maxAttempts: number) {
    this.standard = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(retryTokenScope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(retryTokenScope);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    // The retry middleware rethrows the call's own error when this rejects.
    if (isOutcomeUnknown(errorInfo.error)) throw new Error('not retried: the outcome of the previous attempt is unknown');
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}
