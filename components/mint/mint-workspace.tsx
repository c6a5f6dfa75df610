'use client';

import { useCallback, useEffect, useRef, useState, useTransition } from 'react';
import dynamic from 'next/dynamic';
import { Alert, Grid, Loader, Group, Stack, Text, Title } from '@mantine/core';
import { NavAnchor } from '@/components/audit/nav-anchor';
import { SessionEndedAlert } from '@/components/shell/session-ended-alert';
import { useLeaveGuard } from '@/components/ui/use-leave-guard';
import { mintTokenAction } from '@/lib/actions/mint-token-action';
import type { ConnectToken } from '@/lib/actions/connect-here-action';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import type { MintedToken } from '@/lib/shared/tokens/minted';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import type { Preset } from '@/lib/shared/presets/schema';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';
import { sessionEndedCause, type EndedCause } from '@/lib/shared/session-ended';
import { saveMintDraft } from './mint-draft';
import { MintForm } from './mint-form';
import { RoomSettings } from './room-settings';

// The chat client is loaded only when a test connection opens, so it does not slow the form's hydration.
const TestConnection = dynamic(() => import('@/components/token/test-connection').then((m) => m.TestConnection), { ssr: false });

// The result panel (token, expiry timeline, snippets) is not part of the first paint: its code is
// fetched when the staff member starts using the form, well before a mint returns, so the first
// page load does not carry it and showing a token does not wait for it. Held in state rather than
// rendered through next/dynamic: a lazy component suspends on its first render even when its code
// is there, and React holds a revealed Suspense boundary back for up to 300 ms.
type TokenResultModule = typeof import('@/components/token/token-result');
let tokenResultModule: Promise<TokenResultModule> | null = null;
const loadTokenResult = () => (tokenResultModule ??= import('@/components/token/token-result'));

/** The token on the screen: at most one, and only until the form changes or another request is made. */
interface Shown {
  minted: MintedToken;
  copied: boolean;
  /** Taken off the screen with its own "Hide token" button; the rest of the result stays. */
  hiddenByUser: boolean;
}

type HideCause = 'edit' | 'attempt' | 'again' | 'connect';
const BECAUSE: Record<HideCause, string> = {
  edit: 'because you changed the form',
  attempt: 'when you asked for a new token',
  again: 'when you asked for another token with the same settings',
  connect: 'when you started a test connection',
};

const reducedMotion = () => typeof window !== 'undefined' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Focus on what just appeared; the browser scrolls it into view clear of the header (app/globals.css). */
const focusOnMount = (node: HTMLElement | null) => node?.focus();

export function MintWorkspace({
  rooms,
  roomFailures,
  policy,
  role,
  endpoint,
  presets = [],
  staffId,
}: {
  rooms: RoomSummary[];
  roomFailures: { region: string; message: string }[];
  /** The signed-in role's effective policy: the form shows it, mintToken enforces it. */
  policy: RolePolicy;
  role: Role;
  endpoint: string | null;
  /** Presets the role may use. */
  presets?: Preset[];
  /** The signed-in member: a draft kept when the session ends is theirs only. */
  staffId?: string;
}) {
  const [connection, setConnection] = useState<{ key: number; request: MintTokenRequest; first: ConnectToken } | null>(null);
  const [shown, setShownState] = useState<Shown | null>(null);
  // Read by handlers that run before the next render (a submit right after an edit); written with the state.
  const shownRef = useRef<Shown | null>(null);
  const setShown = useCallback((next: Shown | null) => {
    shownRef.current = next;
    setShownState(next);
  }, []);
  const [hiddenNote, setHiddenNote] = useState<{ userId: string; auditId: string; because: HideCause; copied: boolean } | null>(null);
  const [roomArn, setRoomArn] = useState('');
  const [again, setAgain] = useState<{ request: MintTokenRequest; error: string | null; ended: EndedCause | null } | null>(null);
  const [roomProblem, setRoomProblem] = useState<{ arn: string; message: string } | null>(null);
  const onRoomProblem = useCallback((arn: string, message: string | null) => setRoomProblem(message ? { arn, message } : null), []);
  const [pendingAgain, startAgain] = useTransition();
  const [resultPanel, setResultPanel] = useState<TokenResultModule | null>(null);
  const preloadResult = () => void loadTokenResult().then(setResultPanel);
  // A token shown before the panel's code was fetched (no interaction preloaded it) waits for it here.
  useEffect(() => {
    if (shown && !resultPanel) void loadTokenResult().then(setResultPanel);
  }, [shown, resultPanel]);

  // Each result mounts anew (keyed by its audit id), so this runs once per token shown: focus on its
  // heading, and the card scrolled to the top of the view, below the fixed header (its scroll-margin-top).
  const revealResult = useCallback((node: HTMLDivElement | null) => {
    if (!node) return;
    node.querySelector<HTMLElement>('[data-result-heading]')?.focus({ preventScroll: true });
    node.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' });
  }, []);

  const roomName = (arn: string) => rooms.find((r) => r.arn === arn)?.name || undefined;

  /** Takes the shown token off the screen, saying so (a bearer credential never sits beside a later result). */
  const hideToken = useCallback(
    (because: HideCause) => {
      const current = shownRef.current;
      if (!current) return;
      setShown(null);
      // A token its holder already hid was dealt with: only the rest of its result goes, silently.
      if (!current.hiddenByUser) {
        setHiddenNote({ userId: current.minted.request.userId, auditId: current.minted.auditId, because, copied: current.copied });
      }
    },
    [setShown],
  );

  const showMinted = (token: MintedToken) => {
    setAgain(null);
    setHiddenNote(null);
    setShown({ minted: token, copied: false, hiddenByUser: false });
  };

  const mintAgain = () => {
    const current = shownRef.current;
    if (!current) return;
    const { request } = current.minted;
    hideToken('again');
    setAgain({ request, error: null, ended: null });
    startAgain(async () => {
      const result = await mintTokenAction(request);
      if (result.ok) {
        showMinted(result.data);
        return;
      }
      const ended = sessionEndedCause(result);
      if (ended && staffId) saveMintDraft(staffId, request);
      setAgain({ request, error: ended ? null : result.message, ended });
    });
  };

  useLeaveGuard(
    shown && !shown.copied && !shown.hiddenByUser
      ? `The token for ${shown.minted.request.userId} was never copied. It cannot be shown again once you leave this page. Leave anyway?`
      : null,
  );

  // "Mint and connect here": its panel comes into view (and takes focus) as soon as it has drawn; its code loads on demand.
  const connectionRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = connectionRef.current;
    if (!connection || !node) return;
    const reveal = () => {
      if (node.offsetHeight === 0) return false;
      node.focus({ preventScroll: true });
      node.scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' });
      return true;
    };
    if (reveal()) return;
    const observer = new ResizeObserver(() => {
      if (reveal()) observer.disconnect();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [connection]);

  const note = hiddenNote && (
    <Text size="sm" data-testid="token-hidden-note">
      The token for <b>{hiddenNote.userId}</b> was hidden {BECAUSE[hiddenNote.because]}
      {hiddenNote.copied ? '' : ', before it was copied'}. It cannot be shown again; its mint stays in the{' '}
      {/* Not prefetched: the note appears as the next mint is sent, and the record's render would share the server with it. */}
      <NavAnchor href={`/audit/${hiddenNote.auditId}`} prefetch={false}>
        audit record
      </NavAnchor>
      .
    </Text>
  );

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          Mint a chat token
        </Title>
        <Text c="dimmed" size="sm">
          CreateChatToken for one user in one room. Every mint is recorded in the audit log; the token itself never is.
        </Text>
      </div>
      {roomFailures.map((f) => (
        <Alert key={f.region} color="orange" title={`Rooms in ${f.region} could not be listed`}>
          {f.message} You can still paste a room ARN.
        </Alert>
      ))}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }} onFocusCapture={preloadResult} onPointerDownCapture={preloadResult}>
          <MintForm
            rooms={rooms}
            policy={policy}
            role={role}
            onMinted={showMinted}
            onRoomChange={setRoomArn}
            roomProblem={roomProblem}
            presets={presets}
            onConnected={(request, first) => setConnection({ key: Date.now(), request, first })}
            onAttempt={(kind) => {
              setAgain(null);
              hideToken(kind === 'connect' ? 'connect' : 'attempt');
            }}
            onEdit={() => hideToken('edit')}
            actionNote={note}
            draftOwner={staffId}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RoomSettings arn={roomArn} onProblem={onRoomProblem} />
        </Grid.Col>
      </Grid>
      {connection && (
        <div
          ref={connectionRef}
          tabIndex={-1}
          role="region"
          aria-label="Test connection"
          style={{ scrollMarginTop: 'var(--app-shell-header-height, 0px)', outline: 'none' }}
        >
          <TestConnection
            key={connection.key}
            request={connection.request}
            first={connection.first}
            endpoint={endpoint}
            onClose={() => setConnection(null)}
            mayModerate={policy.mayModerate}
          />
        </div>
      )}
      {again && pendingAgain && (
        <Alert ref={focusOnMount} tabIndex={-1} color="gray" role="status" data-testid="mint-again-pending">
          <Group gap="xs">
            <Loader size="xs" />
            <span>
              Minting again for <b>{again.request.userId}</b> in {roomName(again.request.roomArn) ?? again.request.roomArn}…
            </span>
          </Group>
        </Alert>
      )}
      {again?.ended && (
        <SessionEndedAlert ref={focusOnMount} reason={again.ended}>
          No token was minted again for {again.request.userId}; the request is kept in this tab.
        </SessionEndedAlert>
      )}
      {again?.error && (
        <Alert ref={focusOnMount} tabIndex={-1} color="red" role="alert" title="No token was issued" data-testid="mint-again-error">
          Minting again for <b>{again.request.userId}</b> was refused: {again.error}
        </Alert>
      )}
      {shown && resultPanel && (
        <resultPanel.TokenResult
          key={shown.minted.auditId}
          ref={revealResult}
          minted={shown.minted}
          endpoint={endpoint}
          roomName={roomName(shown.minted.request.roomArn)}
          onMintAgain={mintAgain}
          pendingAgain={pendingAgain}
          onCopied={() => shownRef.current && !shownRef.current.copied && setShown({ ...shownRef.current, copied: true })}
          onHidden={() => shownRef.current && setShown({ ...shownRef.current, hiddenByUser: true })}
        />
      )}
    </Stack>
  );
}
