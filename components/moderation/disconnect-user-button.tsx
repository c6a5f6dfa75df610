'use client';

import { useState } from 'react';
import { Button, Card } from '@mantine/core';
import { DisconnectUserForm } from './moderation-panel';

/** On a token's detail: disconnect the token's user from its room (DisconnectUser, with a reason). */
export function DisconnectUserButton({ roomArn, userId }: { roomArn: string; userId: string }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <Button color="red" variant="light" w="fit-content" onClick={() => setOpen(true)}>
        Disconnect this user
      </Button>
    );
  }
  return (
    <Card withBorder maw={560}>
      <DisconnectUserForm roomArn={roomArn} initialUserId={userId} compact />
    </Card>
  );
}
