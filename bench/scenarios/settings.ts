import { alternatePerUser, json } from '../lib/http.ts';
import type { ChildServer } from '../lib/server-process.ts';
import { settingsBody } from '../lib/settings-catalog.ts';
import { readyIfAnswers } from './probe.ts';
import type { BenchContext, Preparation, Scenario } from './types.ts';

/** The 20-key batch for the next of 1,000 users, against either server (both answer the same path). */
function settingsLoad({ identities, settings }: BenchContext, server: ChildServer): Promise<Preparation> {
  if ('unavailable' in settings) return Promise.resolve({ ready: false, reason: settings.unavailable });
  const bodies = [settingsBody(settings, 0), settingsBody(settings, 1)];
  const next = alternatePerUser(identities.users, bodies);
  const changed = settings.values.filter(([changedValue, fallback]) => JSON.stringify(changedValue) !== JSON.stringify(fallback)).length;
  return readyIfAnswers(
    server,
    () => {
      const [user, body] = next();
      return { method: 'PUT', path: '/api/v1/users/me/settings', headers: json(user.authorization), body };
    },
    `${settings.keys.length} keys of a ${settings.catalogSize}-key catalog, ${changed} of them alternating between two values; each request for the next of 1,000 users`,
  );
}

const TITLE = 'PUT /api/v1/users/me/settings, 20 keys';

/** The service, then the bare handler with the same statements (bench/baseline-settings-put.ts) as its floor. */
export const settingsScenarios: Scenario[] = [
  { id: 'settings.put', group: 'settings', title: TITLE, target: 'app', prepare: (ctx) => settingsLoad(ctx, ctx.app) },
  {
    id: 'baseline.settings.put',
    group: 'settings',
    title: `baseline: Fastify + pg, ${TITLE}`,
    target: 'baseline',
    prepare: (ctx) => settingsLoad(ctx, ctx.baseline),
  },
];
