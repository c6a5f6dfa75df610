import { Alert, Stack } from '@mantine/core';
import { NavAnchor } from '@/components/audit/nav-anchor';

export default function MintNotFound() {
  return (
    <Stack maw={640}>
      <Alert color="gray" title="No such mint record">
        This console has no token mint with that id.
      </Alert>
      <NavAnchor href="/audit">Back to the history</NavAnchor>
    </Stack>
  );
}
