'use client';

import { useState, useTransition } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { changePasswordAction } from '@/lib/actions/change-password-action';
import { changePasswordSchema, PASSWORD_MIN_LENGTH, type ChangePasswordInput } from '@/lib/shared/password-policy';

export function ChangePasswordForm({ callbackUrl }: { callbackUrl: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const {
    register,
    handleSubmit,
    setError: setFieldError,
    formState,
  } = useForm<ChangePasswordInput>({
    resolver: zodResolver(changePasswordSchema),
    defaultValues: { current: '', next: '', confirm: '' },
  });
  const onSubmit = handleSubmit((values) =>
    startTransition(async () => {
      setError(null);
      const result = await changePasswordAction(values);
      if (result.ok) {
        window.location.assign(callbackUrl);
        return;
      }
      for (const [field, message] of Object.entries(result.fieldErrors)) {
        if (field === 'current' || field === 'next' || field === 'confirm') setFieldError(field, { message });
      }
      setError(result.message);
    }),
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change password">
      <Stack gap="sm">
        {error && (
          <Alert color="red" role="alert" title="Password not changed">
            {error}
          </Alert>
        )}
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          {...register('current')}
          error={formState.errors.current?.message}
        />
        <PasswordInput
          label="New password"
          description={`At least ${PASSWORD_MIN_LENGTH} characters`}
          autoComplete="new-password"
          {...register('next')}
          error={formState.errors.next?.message}
        />
        <PasswordInput
          label="New password again"
          autoComplete="new-password"
          {...register('confirm')}
          error={formState.errors.confirm?.message}
        />
        <Button type="submit" loading={pending} fullWidth>
          Set new password
        </Button>
      </Stack>
    </form>
  );
}
