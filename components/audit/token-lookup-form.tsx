'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { useForm, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { setServerErrors } from '@/lib/contract/form';
import { lookupTokenAction } from '@/lib/actions/lookup-token-action';
import { tokenLookupSchema } from '@/lib/shared/audit/filter';

type Values = { token: string };
const resolver = zodResolver(tokenLookupSchema) as unknown as Resolver<Values>;

/**
 * Paste a token, find its mint. The token goes to the server only in the server action's POST
 * body; the browser then navigates to /audit/<record id>. It never enters a URL.
 */
export function TokenLookupForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notFound, setNotFound] = useState(false);
  const { register, handleSubmit, setError, formState, reset } = useForm<Values>({ resolver, defaultValues: { token: '' } });

  const onSubmit = handleSubmit((values) => {
    setNotFound(false);
    startTransition(async () => {
      const result = await lookupTokenAction(values);
      if (!result.ok) {
        if (result.fieldErrors.token) setServerErrors(setError, result, { root: false });
        else setServerErrors(setError, result);
        return;
      }
      if (result.data.found) {
        reset({ token: '' });
        router.push(`/audit/${encodeURIComponent(result.data.id)}`);
        return;
      }
      setNotFound(true);
    });
  });

  const serverError = formState.errors.root?.server;
  return (
    // method=post: should the form ever submit natively (before hydration), the token goes in a
    // body, never into the query string of a GET.
    <form onSubmit={onSubmit} method="post" noValidate aria-label="Look up a token">
      <Stack gap="md">
        <Textarea
          label="Token"
          description="The chat token as it was handed out. It is compared by fingerprint, not stored or logged."
          autosize
          minRows={3}
          maxRows={8}
          spellCheck={false}
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          data-1p-ignore
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' } }}
          {...register('token')}
          error={formState.errors.token?.message}
        />
        <Group>
          <Button type="submit" loading={pending}>
            Look up
          </Button>
        </Group>
        {serverError && (
          <Alert color="red" role="alert" title="The lookup did not run">
            {serverError.message}
          </Alert>
        )}
        <div aria-live="polite">
          {notFound && (
            <Alert color="orange" title="This console did not mint this token" data-testid="lookup-not-found">
              <Stack gap="xs">
                <Text size="sm">
                  No mint in this console&apos;s audit log has this token&apos;s fingerprint. Chat tokens are encrypted by AWS and cannot be
                  decoded, so nothing more can be read from the token itself. Check:
                </Text>
                <List size="sm" spacing={4}>
                  <List.Item>whether another console or environment (staging, another account or region) minted it;</List.Item>
                  <List.Item>
                    whether it was minted directly with the AWS CLI, an SDK or another backend, which leave no record here;
                  </List.Item>
                  <List.Item>whether the paste is complete: a truncated or partly copied token has a different fingerprint;</List.Item>
                  <List.Item>
                    whether this console&apos;s FINGERPRINT_KEY changed since the mint: records made under another key cannot be matched.
                  </List.Item>
                </List>
              </Stack>
            </Alert>
          )}
        </div>
      </Stack>
    </form>
  );
}
