import { Code, Stack, Text, Title } from '@mantine/core';
import { NavAnchor } from '@/components/audit/nav-anchor';

/** What an unknown address shows, inside the console (signed in) or on the plain branded page. */
export function NotFoundBody({ path, signedIn }: { path: string | null; signedIn: boolean }) {
  return (
    <Stack gap="sm" maw={640}>
      <Title order={1} size="h2">
        Page not found
      </Title>
      <Text>
        {path ? (
          <>
            There is no page at <Code>{path}</Code> in this console.
          </>
        ) : (
          'There is no such page in this console.'
        )}{' '}
        Check the address, or go on from here:
      </Text>
      {signedIn ? (
        <Stack gap={4}>
          <NavAnchor href="/">Your start page</NavAnchor>
          <NavAnchor href="/audit/lookup">Look up a token</NavAnchor>
        </Stack>
      ) : (
        <NavAnchor href="/signin">Sign in</NavAnchor>
      )}
    </Stack>
  );
}
