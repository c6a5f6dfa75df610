'use client';

import { useEffect, useState } from 'react';

/**
 * The mint form's parts that matter only once the staff member uses the form: the room picker's
 * searchable dropdown and the preset tooltips (Mantine's Combobox/Popover/Tooltip and floating-ui,
 * ~40 KB gzip together). The first paint renders the plain input and buttons; this module is fetched
 * on the first pointer or focus in the form (`loadOnDemand`), and the parts switch over when it
 * arrives. Nothing is lost meanwhile: the input is the form's controlled field either way.
 */
type OnDemand = typeof import('./on-demand-parts');

let loaded: OnDemand | null = null;
let loading: Promise<OnDemand> | null = null;
const listeners = new Set<(m: OnDemand) => void>();

export function loadOnDemand(): Promise<OnDemand> {
  loading ??= import('./on-demand-parts').then((m) => {
    loaded = m;
    for (const listener of listeners) listener(m);
    return m;
  });
  return loading;
}

/** The loaded parts, or null until the first interaction has fetched them. */
export function useOnDemand(): OnDemand | null {
  const [parts, setParts] = useState<OnDemand | null>(loaded);
  useEffect(() => {
    // The module may have arrived between this render and the effect; its listener would miss it.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (loaded) setParts(loaded);
    listeners.add(setParts);
    return () => {
      listeners.delete(setParts);
    };
  }, []);
  return parts;
}
