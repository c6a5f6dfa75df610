import { Center, Loader } from '@mantine/core';

/** The loading state of a console page (each segment's loading.tsx). */
export function PageLoading() {
  return (
    <Center mih={240} aria-live="polite" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}
