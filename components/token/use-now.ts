'use client';

import { useEffect, useState } from 'react';

/** The current time, ticking every `intervalMs`; null until mounted so server and client HTML agree. */
export function useNow(intervalMs = 1000): Date | null {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => {
    // After mount only: the server's render and the first client render must agree (null).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setNow(new Date());
    const id = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
