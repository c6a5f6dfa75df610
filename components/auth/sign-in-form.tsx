'use client';

import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { signIn } from 'next-auth/react';
import { Alert, Button, Divider, PasswordInput, Stack, TextInput } from '@mantine/core';
import { formatLocal, formatUtc } from '@/lib/shared/time/format';

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email.').email('Enter a valid email address.'),
  password: z.string().min(1, 'Enter your password.'),
});
type SignInValues = z.infer<typeof signInSchema>;

/** lib/auth/options.ts answers a throttled attempt with this prefix and the time it may be retried. */
const THROTTLED_PREFIX = 'Throttled:';

export function SignInForm({
  callbackUrl,
  initialError,
  oidc,
}: {
  callbackUrl: string;
  initialError?: string;
  oidc: { name: string } | null;
}) {
  const [error, setError] = useState<string | undefined>(initialError);
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, formState } = useForm<SignInValues>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: '', password: '' },
  });

  const onSubmit = handleSubmit((values) => {
    setError(undefined);
    startTransition(async () => {
      const res = await signIn('credentials', { ...values, redirect: false, callbackUrl });
      if (res?.ok && !res.error) {
        window.location.assign(callbackUrl);
      } else if (res?.error?.startsWith(THROTTLED_PREFIX)) {
        const at = new Date(res.error.slice(THROTTLED_PREFIX.length));
        const seconds = Math.max(1, Math.ceil((at.getTime() - Date.now()) / 1000));
        setError(
          `Too many failed sign-ins for this email or from this network. Try again in ${
            seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
          } (at ${formatUtc(at)}, ${formatLocal(at).text}).`,
        );
      } else {
        setError('Email or password is not right, or the account is disabled.');
      }
    });
  });

  return (
    <Stack gap="md">
      {error && (
        <Alert color="red" role="alert" title="Not signed in">
          {error}
        </Alert>
      )}
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            {...register('email')}
            error={formState.errors.email?.message}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...register('password')}
            error={formState.errors.password?.message}
          />
          <Button type="submit" loading={pending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
      {oidc && (
        <>
          <Divider label="or" labelPosition="center" />
          <Button variant="default" fullWidth onClick={() => startTransition(() => void signIn('oidc', { callbackUrl }))}>
            Sign in with {oidc.name}
          </Button>
        </>
      )}
    </Stack>
  );
}
