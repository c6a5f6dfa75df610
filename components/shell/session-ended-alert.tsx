'use client';

import { forwardRef, type ReactNode } from 'react';
import { usePathname } from 'next/navigation';
import { Alert, Anchor, Text } from '@mantine/core';
import { signInHref, type EndedCause } from '@/lib/shared/session-ended';

/**
 * What a form shows when its action was refused because the session ended: the words, and a
 * sign-in link that says why on the sign-in page and comes back to this page.
 */
export const SessionEndedAlert = forwardRef<HTMLDivElement, { reason: EndedCause; children?: ReactNode }>(function SessionEndedAlert(
  { reason, children },
  ref,
) {
  const pathname = usePathname();
  return (
    <Alert ref={ref} tabIndex={-1} color="orange" role="alert" title="Your session ended, sign in again" data-testid="session-ended">
      <Text size="sm">
        Nothing was done. {children}{' '}
        <Anchor href={signInHref(pathname, reason)} fw={600}>
          Sign in again
        </Anchor>{' '}
        and you come back to this page.
      </Text>
    </Alert>
  );
});
