import Link from 'next/link';
import { Alert, Anchor, Stack } from '@mantine/core';

export default function MintNotFound() {
  return (
    <Stack maw={640}>
      <Alert color="gray" title="No such mint record">
        This console has no token mint with that id.
      </Alert>
      <Anchor component={Link} href="/audit">
        Back to the history
      </Anchor>
    </Stack>
  );
}
