import { rotate } from '../lib/http.ts';
import { readyIfAnswers } from './probe.ts';
import type { Scenario } from './types.ts';

/**
 * The dashboard's one call, beside users.list page 1 (group `list`): it reads 16 user-counter shards, up to 30 × 16
 * daily shards and the two factor tables, so its cost should not move with the number of users or audit events.
 */
export const statsScenario: Scenario = {
  id: 'stats.overview',
  group: 'stats',
  title: 'GET /api/v1/stats/overview',
  target: 'app',
  prepare: ({ app, identities }) => {
    const caller = rotate(identities.admins);
    return readyIfAnswers(app, () => ({
      method: 'GET',
      path: '/api/v1/stats/overview',
      headers: { authorization: caller().authorization },
    }));
  },
};
