'use client';

import { Alert, Text } from '@mantine/core';
import { DenseBadge } from '@/components/ui/dense';
import { TOKEN_STATE_COLOR, tokenState, type TokenStateInput } from '@/lib/shared/tokens/token-state';
import { useNow } from './use-now';

/** The headline of a result, a record and a lookup: the one token state (lib/shared/tokens/token-state.ts). */
export function TokenStateHeadline({ input }: { input: TokenStateInput }) {
  const now = useNow();
  const state = now ? tokenState(input, now) : null;
  return (
    <Alert
      color={state ? TOKEN_STATE_COLOR[state.kind] : 'gray'}
      variant="light"
      title={
        <span data-testid="token-state" data-state={state?.kind}>
          {state ? state.headline : ' '}
        </span>
      }
      aria-live="polite"
    >
      <Text size="sm" data-testid="token-state-detail">
        {state?.detail ?? ' '}
      </Text>
    </Alert>
  );
}

/** The State cell of a History row. */
export function TokenStateCell({ input }: { input: TokenStateInput }) {
  const now = useNow(5000);
  const state = now ? tokenState(input, now) : null;
  return (
    <DenseBadge
      color={state ? TOKEN_STATE_COLOR[state.kind] : 'gray'}
      wrap
      title={state ? `${state.headline}. ${state.detail}` : undefined}
      data-testid="history-state"
      data-state={state?.kind}
    >
      {state ? state.short : ' '}
    </DenseBadge>
  );
}
