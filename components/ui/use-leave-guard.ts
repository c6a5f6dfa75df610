'use client';

import { useEffect } from 'react';
import { useRouter } from 'next/navigation';

/**
 * While `question` is set, leaving the page asks first: a reload, closing the tab or typing
 * another address get the browser's own "Leave site?" prompt (beforeunload), and a click on a link
 * of the console (next/link or a plain anchor) gets `question` in a confirm dialog before the
 * navigation happens. Nothing is installed while there is nothing to lose.
 */
export function useLeaveGuard(question: string | null): void {
  const router = useRouter();
  useEffect(() => {
    if (!question) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium needs returnValue set to show the prompt.
      event.returnValue = '';
    };
    // Capture phase on the document: runs before React's handlers (next/link navigates in its onClick).
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest<HTMLAnchorElement>('a[href]') : null;
      if (!anchor || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return;
      const url = new URL(anchor.href, window.location.href);
      // Another site: the browser's beforeunload prompt asks. The same page (a #fragment): nothing is left.
      if (url.origin !== window.location.origin) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search) return;
      event.preventDefault();
      event.stopPropagation();
      if (!window.confirm(question)) return;
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      router.push(`${url.pathname}${url.search}${url.hash}`);
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [question, router]);
}
