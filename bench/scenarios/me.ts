import { rotate } from '../lib/http.ts';
import { readyIfAnswers } from './probe.ts';
import type { Scenario } from './types.ts';

const BATCH_SIZE = 5;
const batchPath = `/trpc/${Array.from({ length: BATCH_SIZE }, () => 'me.get').join(',')}?batch=1&input=${encodeURIComponent('{}')}`;

export const meScenarios: Scenario[] = [
  {
    id: 'me.rest',
    group: 'me',
    title: 'GET /api/v1/users/me',
    target: 'app',
    prepare: ({ app, identities }) => {
      const user = rotate(identities.users);
      return readyIfAnswers(app, () => ({ method: 'GET', path: '/api/v1/users/me', headers: { authorization: user().authorization } }));
    },
  },
  {
    id: 'me.trpc',
    group: 'me',
    title: 'tRPC me.get',
    target: 'app',
    prepare: ({ app, identities }) => {
      const user = rotate(identities.users);
      return readyIfAnswers(app, () => ({ method: 'GET', path: '/trpc/me.get', headers: { authorization: user().authorization } }));
    },
  },
  {
    id: 'me.trpc-batch',
    group: 'me',
    title: `tRPC me.get ×${BATCH_SIZE} batched`,
    target: 'app',
    prepare: ({ app, identities }) => {
      const user = rotate(identities.users);
      return readyIfAnswers(
        app,
        () => ({ method: 'GET', path: batchPath, headers: { authorization: user().authorization } }),
        `one HTTP request carries ${BATCH_SIZE} calls: procedure calls/s = ${BATCH_SIZE} × req/s`,
      );
    },
  },
];
