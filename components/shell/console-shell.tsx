'use client';

import { useEffect, useState, type ReactNode } from 'react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import {
  ActionIcon,
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  NavLink,
  Stack,
  Text,
  Title,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { NavItem } from '@/lib/shared/nav';
import { signOutTo } from './sign-out';

export interface ShellStaff {
  email: string;
  role: string;
}

export type { NavItem };

/** How often the inbox badge asks (one indexed count per member, so cheap at any scale of staff). */
const BADGE_POLL_MS = 10_000;

function usePendingRequests(enabled: boolean, initial: number): number {
  const [count, setCount] = useState(initial);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    const poll = async () => {
      if (document.visibilityState === 'hidden') return;
      try {
        const res = await fetch('/api/requests/pending', { cache: 'no-store' });
        const body = (await res.json()) as { ok: boolean; data?: { pending: number } };
        if (!stopped && body.ok && body.data) setCount(body.data.pending);
      } catch {
        // The badge is a hint: the inbox itself is read fresh.
      }
    };
    const timer = setInterval(() => void poll(), BADGE_POLL_MS);
    const onVisible = () => void poll();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [enabled]);
  return count;
}

export function ConsoleShell({
  staff,
  nav,
  pendingRequests = 0,
  children,
}: {
  staff: ShellStaff | null;
  nav: NavItem[];
  /** The inbox count when the page was rendered; the badge then polls. */
  pendingRequests?: number;
  children: ReactNode;
}) {
  const [opened, { toggle, close }] = useDisclosure();
  const pending = usePendingRequests(
    nav.some((i) => i.badge === 'requests'),
    pendingRequests,
  );
  const pathname = usePathname();
  // The longest matching entry wins, so /audit/lookup marks "Look up a token", not "History" too.
  const activeHref = nav
    .filter((item) => pathname === item.href || pathname.startsWith(`${item.href}/`))
    .reduce<string | null>((best, item) => (best === null || item.href.length > best.length ? item.href : best), null);
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      {/* The first Tab stop: past the header and the navigation, straight to the page. */}
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4" style={{ whiteSpace: 'nowrap' }}>
              IVS Chat Token Console
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow>
          {nav.map((item) => (
            <NavLink
              key={item.href}
              component={Link}
              href={item.href}
              label={item.label}
              rightSection={
                item.badge === 'requests' && pending > 0 ? (
                  <Badge size="sm" color="red" circle aria-label={`${pending} pending`} data-testid="requests-badge">
                    {pending}
                  </Badge>
                ) : undefined
              }
              active={item.href === activeHref}
              onClick={close}
            />
          ))}
        </AppShell.Section>
        {staff && (
          <AppShell.Section>
            <Stack gap={6} p="xs">
              <Text size="sm" truncate="end" title={staff.email}>
                {staff.email}
              </Text>
              <Badge variant="light" aria-label={`Role: ${staff.role}`}>
                {staff.role}
              </Badge>
              <Button component="a" href={`/password?${new URLSearchParams({ callbackUrl: pathname })}`} variant="subtle" size="xs">
                Change password
              </Button>
              <Button variant="default" size="xs" onClick={() => void signOutTo('/signin')}>
                Sign out
              </Button>
            </Stack>
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: true });
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <ActionIcon variant="default" size="lg" aria-label={`Switch to ${next} color scheme`} onClick={() => setColorScheme(next)}>
      <span aria-hidden="true">{computed === 'dark' ? '☀' : '☾'}</span>
    </ActionIcon>
  );
}
