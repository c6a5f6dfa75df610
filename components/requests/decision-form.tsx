'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import { Alert, Button, Group, Stack, Textarea } from '@mantine/core';
import { cancelAccessRequestAction } from '@/lib/actions/cancel-access-request-action';
import { decideAccessRequestAction } from '@/lib/actions/decide-access-request-action';

/** Approve or deny with a comment (the server refuses the requester), or cancel one's own request. */
export function DecisionForm({ id, canDecide, canCancel }: { id: number; canDecide: boolean; canCancel: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const act = (run: () => ReturnType<typeof cancelAccessRequestAction>) =>
    start(async () => {
      setError(null);
      const result = await run();
      if (!result.ok) {
        setError({ message: result.message, field: result.fieldErrors.comment });
        return;
      }
      router.refresh();
    });
  return (
    <Stack gap="sm">
      {canDecide && (
        <Textarea
          label="Comment"
          description="Kept in the audit log and sent with the decision."
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={error?.field}
          autosize
          minRows={2}
        />
      )}
      {error && (
        <Alert color="red" role="alert" data-testid="decision-error">
          {error.message}
        </Alert>
      )}
      <Group>
        {canDecide && (
          <>
            <Button
              color="teal"
              loading={pending}
              onClick={() => act(() => decideAccessRequestAction(id, { decision: 'approve', comment }))}
            >
              Approve
            </Button>
            <Button
              color="red"
              variant="light"
              loading={pending}
              onClick={() => act(() => decideAccessRequestAction(id, { decision: 'deny', comment }))}
            >
              Deny
            </Button>
          </>
        )}
        {canCancel && (
          <Button variant="default" loading={pending} onClick={() => act(() => cancelAccessRequestAction(id))}>
            Cancel request
          </Button>
        )}
      </Group>
    </Stack>
  );
}
