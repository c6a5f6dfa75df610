'use client';

import type { ReactNode } from 'react';
import Link from 'next/link';
import { Anchor } from '@mantine/core';

/**
 * A Mantine anchor doing client-side navigation; server components cannot pass `Link` as a prop.
 * `prefetch={false}` for a link that appears at a busy moment (Next prefetches a visible link at once).
 */
export function NavAnchor({ href, children, rel, prefetch }: { href: string; children: ReactNode; rel?: string; prefetch?: boolean }) {
  return (
    <Anchor component={Link} href={href} rel={rel} prefetch={prefetch}>
      {children}
    </Anchor>
  );
}
