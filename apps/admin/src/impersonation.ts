import type { TokenPair, TokenStore } from '@ums/shared';
import { useMemo, useSyncExternalStore } from 'react';

const KEY = 'ums.admin.impersonation';
const CHANGE_EVENT = 'ums:impersonation';

/** While impersonating: the administrator's own tokens, kept aside, and who is being impersonated. */
export interface Impersonation {
  admin: TokenPair;
  targetId: string;
  targetName: string;
}

// Beside the tokens, in sessionStorage: the same place and the same protection (see token-storage.ts).
const raw = () => window.sessionStorage.getItem(KEY);
const changed = () => window.dispatchEvent(new Event(CHANGE_EVENT));

function parse(text: string | null): Impersonation | null {
  try {
    const value: unknown = JSON.parse(text ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const { admin, targetId, targetName } = value as Record<string, unknown>;
    const pair = admin as Partial<TokenPair> | null;
    if (typeof targetId !== 'string' || typeof targetName !== 'string' || typeof pair?.accessToken !== 'string') return null;
    if (typeof pair.refreshToken !== 'string') return null;
    return { admin: { accessToken: pair.accessToken, refreshToken: pair.refreshToken }, targetId, targetName };
  } catch {
    return null;
  }
}

/** Switches the console to the target's session; the administrator's tokens are kept to come back to. */
export function beginImpersonation(tokens: TokenStore, started: { accessToken: string; targetId: string; targetName: string }): void {
  const admin = tokens.get();
  if (!admin) throw new Error('Not signed in');
  window.sessionStorage.setItem(KEY, JSON.stringify({ admin, targetId: started.targetId, targetName: started.targetName }));
  // The session has no refresh token: when it ends (logout, an hour), its refresh is refused and the
  // administrator's session comes back (session.tsx).
  tokens.set({ accessToken: started.accessToken, refreshToken: '' });
  changed();
}

/** Puts the administrator's tokens back, if an impersonation was on; true when it was. */
export function restoreImpersonator(tokens: TokenStore): boolean {
  const current = parse(raw());
  if (!current) return false;
  tokens.set(current.admin);
  window.sessionStorage.removeItem(KEY);
  changed();
  return true;
}

function subscribe(onChange: () => void) {
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => window.removeEventListener(CHANGE_EVENT, onChange);
}

/** The impersonation in progress in this tab, or null. */
export function useImpersonation(): Impersonation | null {
  const text = useSyncExternalStore(subscribe, raw);
  return useMemo(() => parse(text), [text]);
}
