import { Center, Loader } from '@mantine/core';

export default function Loading() {
  return (
    <Center mih={240} aria-live="polite" aria-busy="true">
      <Loader aria-label="Loading" />
    </Center>
  );
}
