'use client';

import type { ReactNode } from 'react';
import Link from 'next/link';
import { Anchor } from '@mantine/core';

/** A Mantine anchor doing client-side navigation; server components cannot pass `Link` as a prop. */
export function NavAnchor({ href, children, rel }: { href: string; children: ReactNode; rel?: string }) {
  return (
    <Anchor component={Link} href={href} rel={rel}>
      {children}
    </Anchor>
  );
}
