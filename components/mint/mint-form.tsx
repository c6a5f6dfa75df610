'use client';

import { useEffect, useMemo, useRef, useState, useTransition, type ReactNode } from 'react';
import { Controller, useForm, useWatch, type Path, type Resolver } from 'react-hook-form';
import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { NavAnchor } from '@/components/audit/nav-anchor';
import { SessionEndedAlert } from '@/components/shell/session-ended-alert';
import { setServerErrors } from '@/lib/contract/form';
import type { Failure } from '@/lib/contract/result';
import { sessionEndedCause, type EndedCause } from '@/lib/shared/session-ended';
import { connectHereAction, type ConnectToken } from '@/lib/actions/connect-here-action';
import { mintTokenAction } from '@/lib/actions/mint-token-action';
import { resolveRoom } from '@/lib/shared/rooms/resolve';
import type { RoomSummary } from '@/lib/shared/rooms/view';
import type { MintedToken } from '@/lib/shared/tokens/minted';
import { USER_ID_LIMITS } from '@/lib/shared/tokens/limits';
import { defaultSessionMinutes, MINT_DEFAULTS } from '@/lib/shared/tokens/mint-defaults';
import type { RolePolicy } from '@/lib/shared/policy/rules';
import type { Role } from '@/lib/shared/policy/roles';
import type { MintTokenRequest } from '@/lib/shared/tokens/schema';
import { codePointLength } from '@/lib/shared/text';
import type { Preset } from '@/lib/shared/presets/schema';
import { GrantFields } from './grant-fields';
import { saveMintDraft, takeMintDraft } from './mint-draft';
import { loadOnDemand } from './on-demand';
import { PresetPicker } from './preset-picker';
import { RoomPicker } from './room-picker';

// Validation (the shared zod schema and its resolver) is needed at the first submit, not for the
// first paint: it is fetched when the staff member starts using the form, or at the latest by the
// first validation, which waits for it.
let resolverModule: Promise<typeof import('./mint-resolver')> | null = null;
const loadMintResolver = () => (resolverModule ??= import('./mint-resolver'));
// The first pointer or focus in the form fetches what its use needs: validation, the room dropdown
// and the preset tooltips (./on-demand.ts).
const preloadForm = () => {
  void loadMintResolver();
  void loadOnDemand();
};

const STICKY_ACTIONS: React.CSSProperties = {
  position: 'sticky',
  bottom: 0,
  zIndex: 3,
  display: 'flex',
  flexDirection: 'column',
  gap: 'var(--mantine-spacing-xs)',
  padding: 'var(--mantine-spacing-sm) 0',
  background: 'var(--mantine-color-body)',
  borderTop: '1px solid var(--mantine-color-default-border)',
};

export function MintForm({
  rooms,
  policy,
  role,
  onMinted,
  onRoomChange,
  initialValues,
  presets = [],
  onConnected,
  onAttempt,
  onEdit,
  actionNote,
  draftOwner,
  roomProblem = null,
}: {
  rooms: RoomSummary[];
  /** What GetRoom said about the typed room ARN (the room settings card): shown at the field. */
  roomProblem?: { arn: string; message: string } | null;
  policy: RolePolicy;
  role: Role;
  onMinted: (token: MintedToken) => void;
  onRoomChange: (arn: string) => void;
  initialValues?: MintTokenRequest;
  /** The presets this role may use (the page filters them). */
  presets?: Preset[];
  /** "Mint and connect here": the first token for this browser's test connection. */
  onConnected?: (request: MintTokenRequest, first: ConnectToken) => void;
  /** A request is about to be sent (the values passed validation): a token shown from before must go. */
  onAttempt?: (kind: 'mint' | 'connect') => void;
  /** Any change to the form's values: a token shown for the values before must go. */
  onEdit?: () => void;
  /** A line in the sticky action bar, beside the buttons (what happened to the last token). */
  actionNote?: ReactNode;
  /** Whose form this is (the staff id): a draft saved when the session ended is restored only for them. */
  draftOwner?: string;
}) {
  const [pending, startTransition] = useTransition();
  const [connecting, startConnect] = useTransition();
  // The room field's rule (lib/shared/rooms/resolve.ts) before the schema: an id or exact name
  // is sent as its ARN, an unknown or ambiguous one is an error at the field. The server applies
  // the same rule again (lib/mint/resolve-room.ts).
  const roomsRef = useRef(rooms);
  const problemRef = useRef(roomProblem);
  useEffect(() => {
    roomsRef.current = rooms;
    problemRef.current = roomProblem;
  });
  const resolver = useMemo<Resolver<MintTokenRequest>>(() => {
    let resolve: Resolver<MintTokenRequest> | null = null;
    return async (values, context, options) => {
      resolve ??= (await loadMintResolver()).mintResolver(
        role,
        policy,
        presets.map((p) => p.reasonTemplate),
      );
      const room = resolveRoom(values.roomArn ?? '', roomsRef.current);
      const result = await resolve(room.kind === 'resolved' ? { ...values, roomArn: room.arn } : values, context, options);
      const problem = problemRef.current;
      const roomError =
        room.kind === 'ambiguous' || room.kind === 'unknown'
          ? room.message
          : room.kind === 'arn' && problem?.arn === room.arn
            ? problem.message
            : null;
      if (!roomError) return result;
      return { values: {}, errors: { ...result.errors, roomArn: { type: 'room', message: roomError } } };
    };
  }, [role, policy, presets]);
  const canMint = policy.mayMint;
  const form = useForm<MintTokenRequest>({
    resolver,
    defaultValues: initialValues ?? {
      ...MINT_DEFAULTS,
      capabilities: MINT_DEFAULTS.capabilities.filter((c) => policy.capabilities.includes(c)),
      sessionDurationInMinutes: defaultSessionMinutes(policy.maxSessionMinutes),
    },
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { control, register, handleSubmit, setError, clearErrors, formState, getValues, setValue, reset, setFocus, subscribe } = form;
  // GetRoom's word on the typed ARN, at the field as soon as it is known.
  useEffect(() => {
    if (roomProblem && roomProblem.arn === (getValues('roomArn') ?? '').trim()) {
      setError('roomArn', { type: 'room', message: roomProblem.message });
    }
  }, [roomProblem, getValues, setError]);
  /** On leaving the room field: an id or name becomes its ARN; one that names no room is flagged now, not at submit. */
  const settleRoom = (value: string) => {
    const room = resolveRoom(value, rooms);
    if (room.kind === 'resolved') {
      // Only a change is an edit: leaving the field as it was does not take a shown token away.
      if (room.arn !== value) setValue('roomArn', room.arn, { shouldDirty: true });
      onRoomChange(room.arn);
      clearErrors('roomArn');
    } else if (room.kind === 'ambiguous' || room.kind === 'unknown') {
      setError('roomArn', { type: 'room', message: room.message });
    }
  };
  const userId = useWatch({ control, name: 'userId' }) ?? '';
  const left = USER_ID_LIMITS.max - codePointLength(userId);
  const [ended, setEnded] = useState<EndedCause | null>(null);
  const [restored, setRestored] = useState(false);
  // After a refusal: the first field the server named, else the message; a counter so the same target again still moves focus.
  const [focusTarget, setFocusTarget] = useState<{ seq: number; field: string | null } | null>(null);
  const refusalRef = useRef<HTMLDivElement>(null);

  const onEditRef = useRef(onEdit);
  useEffect(() => {
    onEditRef.current = onEdit;
  });
  // Every change of a value, typed, picked, or from a preset, tells the page (it takes a shown token away).
  useEffect(() => subscribe({ formState: { values: true }, callback: () => onEditRef.current?.() }), [subscribe]);

  // The draft kept when the session ended (mint-draft.ts), back after signing in again.
  useEffect(() => {
    if (!draftOwner || !canMint) return;
    const draft = takeMintDraft(draftOwner);
    if (!draft) return;
    reset(draft, { keepDefaultValues: true });
    onRoomChange(draft.roomArn);
    // sessionStorage exists only in the browser, after hydration: an effect is the first place to read it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRestored(true);
    // Once, on arrival: later changes of the callback do not restore anything.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftOwner, canMint]);

  useEffect(() => {
    if (!focusTarget) return;
    const before = document.activeElement;
    if (focusTarget.field) setFocus(focusTarget.field as Path<MintTokenRequest>);
    if (!focusTarget.field || document.activeElement === before) refusalRef.current?.focus();
  }, [focusTarget, setFocus]);

  const refused = (failure: Failure, values: MintTokenRequest) => {
    const reason = sessionEndedCause(failure);
    if (reason) {
      // Nothing else to fix here: keep what was typed for after the sign-in, and say how to get back.
      if (draftOwner) saveMintDraft(draftOwner, values);
      clearErrors();
      setEnded(reason);
      setFocusTarget((t) => ({ seq: (t?.seq ?? 0) + 1, field: null }));
      return;
    }
    setServerErrors(setError, failure);
    setFocusTarget((t) => ({ seq: (t?.seq ?? 0) + 1, field: Object.keys(failure.fieldErrors)[0] ?? null }));
  };

  const onSubmit = handleSubmit((values) => {
    setEnded(null);
    onAttempt?.('mint');
    startTransition(async () => {
      const result = await mintTokenAction(values);
      if (result.ok) {
        onMinted(result.data);
        return;
      }
      refused(result, values);
    });
  });

  const onConnect = handleSubmit((values) => {
    setEnded(null);
    onAttempt?.('connect');
    startConnect(async () => {
      const result = await connectHereAction(values);
      if (result.ok) onConnected?.(values, result.data);
      else refused(result, values);
    });
  });

  // One click fills the form; the userId stays (a preset is for a kind of user, not one person),
  // and the resolver still checks everything against the role's policy on submit.
  const applyPreset = (preset: Preset) => {
    const current = getValues();
    const roomArn = preset.roomArn || current.roomArn;
    reset(
      {
        roomArn,
        userId: current.userId,
        attributes: preset.attributes.map((a) => ({ ...a })),
        capabilities: [...preset.capabilities],
        sessionDurationInMinutes: preset.sessionDurationInMinutes,
        reason: preset.reasonTemplate,
      },
      { keepDefaultValues: true },
    );
    if (roomArn !== current.roomArn) onRoomChange(roomArn);
  };

  const serverError = formState.errors.root?.server;
  const disabled = !canMint;

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="Mint a chat token"
      onFocusCapture={preloadForm}
      onPointerDownCapture={preloadForm}
      onPointerEnter={preloadForm}
    >
      <Stack gap="lg">
        {canMint && presets.length > 0 && <PresetPicker presets={presets} onApply={applyPreset} />}
        {!canMint && (
          <Alert color="gray" title="Read-only role">
            Your role ({role}) may not mint tokens. Ask an admin for the support, moderator, qa or admin role. You can read every mint in{' '}
            <NavAnchor href="/audit">History</NavAnchor> and find who minted a token with{' '}
            <NavAnchor href="/audit/lookup">Look up a token</NavAnchor>.
          </Alert>
        )}
        {restored && (
          <Alert color="blue" title="Your form is back" data-testid="draft-restored" withCloseButton onClose={() => setRestored(false)}>
            This is what you had filled in when your session ended. Nothing was minted from it yet.
          </Alert>
        )}
        <Controller
          control={control}
          name="roomArn"
          render={({ field, fieldState }) => (
            <RoomPicker
              rooms={rooms}
              value={field.value}
              onChange={(v) => {
                field.onChange(v);
                onRoomChange(v);
                // A room problem found on leaving the field is about the old text.
                if (fieldState.error?.type === 'room') clearErrors('roomArn');
              }}
              onBlur={() => {
                field.onBlur();
                settleRoom(field.value ?? '');
              }}
              inputRef={field.ref}
              error={fieldState.error?.message}
              disabled={disabled}
            />
          )}
        />
        <TextInput
          label="userId"
          description={
            <span aria-live="polite">
              Any UTF-8 text, {USER_ID_LIMITS.min} to {USER_ID_LIMITS.max} characters ·{' '}
              <Text span size="xs" c={left < 0 ? 'red.9' : left < 16 ? '#9c4a00' : undefined} data-testid="userid-left">
                {left >= 0 ? `${left} left` : `${-left} over`}
              </Text>
            </span>
          }
          required
          spellCheck={false}
          autoComplete="off"
          disabled={disabled}
          {...register('userId')}
          error={formState.errors.userId?.message}
        />
        <GrantFields
          control={control}
          policy={policy}
          role={role}
          disabled={disabled}
          attributes
          auditNote="with the mint"
          reasonHint="Why this token is needed."
        />
        {ended ? (
          <SessionEndedAlert ref={refusalRef} reason={ended}>
            No token was issued. What you filled in is kept in this tab.
          </SessionEndedAlert>
        ) : (
          serverError && (
            <Alert
              ref={refusalRef}
              tabIndex={-1}
              color="red"
              title={serverError.type === 'AWS_OUTCOME_UNKNOWN' ? 'Outcome unknown: no token was shown' : 'No token was issued'}
              role="alert"
              data-code={serverError.type}
              data-testid="mint-error"
            >
              {serverError.message}
            </Alert>
          )
        )}
        {/* The actions stay in reach however long the form is: the bar sticks to the bottom of the viewport. */}
        <div data-sticky-actions data-testid="mint-actions" style={STICKY_ACTIONS}>
          <Group gap="sm">
            <Button type="submit" size="md" loading={pending} disabled={disabled || connecting}>
              Mint token
            </Button>
            {onConnected && (
              <Button
                type="button"
                size="md"
                variant="light"
                loading={connecting}
                disabled={disabled || pending}
                onClick={() => void onConnect()}
              >
                Mint and connect here
              </Button>
            )}
          </Group>
          <div role="status" data-testid="mint-action-note">
            {actionNote}
          </div>
        </div>
      </Stack>
    </form>
  );
}
