import { useEffect, useRef, useState } from 'react';
import { dropQuery, queryParam } from '../router.tsx';

/**
 * The token of the mailed link this page was opened with, handed to `redeem` once on arrival; `retry` hands it over
 * again after a failure that did not use it up (network, 429, 503). Once used, it is taken out of the address, so it
 * stays neither in the address bar nor in the history. React's development double-run of effects must not send it
 * twice: the second call would find it used.
 */
export function useLinkRedemption(redeem: (token: string) => Promise<unknown>) {
  const [token] = useState(() => queryParam('token'));
  const started = useRef(false);
  const send = () => {
    if (token) void redeem(token).then(dropQuery, () => undefined);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a link is redeemed once, on arrival
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    send();
  }, []);
  return { token, retry: send };
}
