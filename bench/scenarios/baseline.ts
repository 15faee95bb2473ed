import { rotate } from '../lib/http.ts';
import { readyIfAnswers } from './probe.ts';
import type { Scenario } from './types.ts';

export const baselineScenario: Scenario = {
  id: 'baseline.me',
  group: 'baseline',
  title: 'baseline: Fastify + pg, me',
  target: 'baseline',
  prepare: ({ baseline, identities }) => {
    const user = rotate(identities.users);
    return readyIfAnswers(baseline, () => ({ method: 'GET', path: '/api/v1/users/me', headers: { authorization: user().authorization } }));
  },
};
