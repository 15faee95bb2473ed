import type { TokenPair, TokenStore } from '@ums/shared';

const KEY = 'ums.admin.tokens';

/**
 * Tokens in sessionStorage: they survive a reload but not the tab, and no other site can read them. The console
 * runs no inline or third-party script (the server's CSP forbids both), which is what keeps them from XSS.
 */
export function sessionTokenStore(storage: Storage = window.sessionStorage): TokenStore {
  return {
    get() {
      try {
        const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
        if (typeof parsed !== 'object' || parsed === null) return null;
        const { accessToken, refreshToken } = parsed as Record<string, unknown>;
        return typeof accessToken === 'string' && typeof refreshToken === 'string' ? { accessToken, refreshToken } : null;
      } catch {
        return null;
      }
    },
    set(tokens: TokenPair) {
      storage.setItem(KEY, JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }));
    },
    clear() {
      storage.removeItem(KEY);
    },
  };
}
