'use client';

import { Alert, Button, Stack } from '@mantine/core';

export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Stack maw={640}>
      <Alert color="red" role="alert" title="This page could not be shown">
        Something went wrong on the server.{error.digest ? ` Reference: ${error.digest}.` : ''} No token was issued by this error.
      </Alert>
      <Button variant="default" onClick={reset} w="fit-content">
        Try again
      </Button>
    </Stack>
  );
}
