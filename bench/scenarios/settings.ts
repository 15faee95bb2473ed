import { alternatePerUser, json } from '../lib/http.ts';
import { settingsBody } from '../lib/settings-catalog.ts';
import { readyIfAnswers } from './probe.ts';
import type { Scenario } from './types.ts';

export const settingsScenario: Scenario = {
  id: 'settings.put',
  group: 'settings',
  title: 'PUT /api/v1/users/me/settings, 20 keys',
  target: 'app',
  prepare: ({ app, identities, settings }) => {
    if ('unavailable' in settings) return Promise.resolve({ ready: false, reason: settings.unavailable });
    const bodies = [settingsBody(settings, 0), settingsBody(settings, 1)];
    const next = alternatePerUser(identities.users, bodies);
    const changed = settings.values.filter(([changedValue, fallback]) => JSON.stringify(changedValue) !== JSON.stringify(fallback)).length;
    return readyIfAnswers(
      app,
      () => {
        const [user, body] = next();
        return { method: 'PUT', path: '/api/v1/users/me/settings', headers: json(user.authorization), body };
      },
      `${settings.keys.length} keys of a ${settings.catalogSize}-key catalog, ${changed} of them alternating between two values; each request for the next of 1,000 users`,
    );
  },
};
