import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/** Where the console is served; every route lives below it. */
export const BASE_PATH = '/admin';

const NAVIGATE_EVENT = 'ums:navigate';

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const currentPath = () => {
  const path = window.location.pathname.startsWith(BASE_PATH) ? window.location.pathname.slice(BASE_PATH.length) : '/';
  return path.replace(/\/+$/, '') || '/';
};

/** The route below /admin, e.g. `/users/1b9d…`, without a trailing slash. */
export const useRoute = () => useSyncExternalStore(subscribe, currentPath);

export function navigate(to: string, { replace = false } = {}) {
  const url = `${BASE_PATH}${to}`;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

/** A query-string parameter of the current address, e.g. the `token` of a mailed link; null when absent. */
export const queryParam = (name: string) => new URLSearchParams(window.location.search).get(name);

/** The same route without its query string: a used link's token should not stay in the address bar or history. */
export const dropQuery = () => window.history.replaceState(null, '', window.location.pathname);

/** A real link (middle-click, copy address and keyboard all work) that navigates in place on a plain click. */
export function Link({ to, onClick, ...props }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={`${BASE_PATH}${to}`} onClick={handleClick} {...props} />;
}
