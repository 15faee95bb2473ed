import { rotate } from '../lib/http.ts';
import { readyIfAnswers } from './probe.ts';
import type { Scenario } from './types.ts';

const DAY_MS = 86_400_000;

export const auditScenario: Scenario = {
  id: 'audit.filtered',
  group: 'audit',
  title: 'GET /api/v1/audit-events, actor+action+from/to',
  target: 'app',
  prepare: ({ app, identities }) => {
    // Each admin acted in ~3,000 of the million events; this action in a 6-month window leaves about a hundred.
    const from = new Date(Date.now() - 200 * DAY_MS).toISOString();
    const to = new Date(Date.now() - 20 * DAY_MS).toISOString();
    const caller = rotate(identities.admins);
    const actor = rotate([...identities.admins].reverse());
    return readyIfAnswers(
      app,
      () => ({
        method: 'GET',
        path: `/api/v1/audit-events?${new URLSearchParams({ actorId: actor().userId, action: 'user.updated', from, to, limit: '50' }).toString()}`,
        headers: { authorization: caller().authorization },
      }),
      `1,000,000 events; ${identities.admins.length} actors in rotation`,
    );
  },
};
