'use client';

// Loaded by ./on-demand.ts on the first interaction with the mint form.
export { Tooltip } from '@mantine/core';
export { RoomAutocomplete } from './room-autocomplete';
