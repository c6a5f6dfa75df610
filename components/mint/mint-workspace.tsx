'use client';

import { useCallback, useEffect, useState, useTransition } from 'react';
import dynamic from 'next/dynamic';
import { Alert, Grid, Stack, Text, Title } from '@mantine/core';
import { mintTokenAction } from '@/lib/actions/mint-token-action';
import type { ConnectToken } from '@/lib/actions/connect-here-action';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import type { MintedToken } from '@/lib/shared/tokens/minted';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import type { Preset } from '@/lib/shared/presets/schema';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';
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

export function MintWorkspace({
  rooms,
  roomFailures,
  policy,
  role,
  endpoint,
  presets = [],
}: {
  rooms: RoomSummary[];
  roomFailures: { region: string; message: string }[];
  /** The signed-in role's effective policy: the form shows it, mintToken enforces it. */
  policy: RolePolicy;
  role: Role;
  endpoint: string | null;
  /** Presets the role may use. */
  presets?: Preset[];
}) {
  const [connection, setConnection] = useState<{ key: number; request: MintTokenRequest; first: ConnectToken } | null>(null);
  const [minted, setMinted] = useState<MintedToken | null>(null);
  const [roomArn, setRoomArn] = useState('');
  const [roomProblem, setRoomProblem] = useState<{ arn: string; message: string } | null>(null);
  const onRoomProblem = useCallback((arn: string, message: string | null) => setRoomProblem(message ? { arn, message } : null), []);
  const [againError, setAgainError] = useState<string | null>(null);
  const [pendingAgain, startAgain] = useTransition();
  // Each result mounts anew (keyed by its audit id), so this runs once per token shown.
  const scrollToResult = useCallback((node: HTMLDivElement | null) => node?.scrollIntoView({ behavior: 'smooth', block: 'start' }), []);
  const [resultPanel, setResultPanel] = useState<TokenResultModule | null>(null);
  const preloadResult = () => void loadTokenResult().then(setResultPanel);
  // A token shown before the panel's code was fetched (no interaction preloaded it) waits for it here.
  useEffect(() => {
    if (minted && !resultPanel) void loadTokenResult().then(setResultPanel);
  }, [minted, resultPanel]);

  const showMinted = (token: MintedToken) => {
    setAgainError(null);
    setMinted(token);
  };

  const mintAgain = () => {
    if (!minted) return;
    startAgain(async () => {
      const result = await mintTokenAction(minted.request);
      if (result.ok) showMinted(result.data);
      else setAgainError(result.message);
    });
  };

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
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RoomSettings arn={roomArn} onProblem={onRoomProblem} />
        </Grid.Col>
      </Grid>
      {connection && (
        <TestConnection
          key={connection.key}
          request={connection.request}
          first={connection.first}
          endpoint={endpoint}
          onClose={() => setConnection(null)}
          mayModerate={policy.mayModerate}
        />
      )}
      {againError && (
        <Alert color="red" role="alert" title="No token was issued">
          {againError}
        </Alert>
      )}
      {minted && resultPanel && (
        <resultPanel.TokenResult
          key={minted.auditId}
          ref={scrollToResult}
          minted={minted}
          endpoint={endpoint}
          onMintAgain={mintAgain}
          pendingAgain={pendingAgain}
        />
      )}
    </Stack>
  );
}
