import { alternatePerUser, json } from '../lib/http.ts';
import { readyIfAnswers } from './probe.ts';
import type { Scenario } from './types.ts';

// Two valid partial updates: every write for a user really changes something.
const BODIES = [
  JSON.stringify({ theme: 'dark', notifications: { sms: true } }),
  JSON.stringify({ theme: 'light', notifications: { sms: false } }),
];

export const preferencesScenario: Scenario = {
  id: 'preferences.put',
  group: 'preferences',
  title: 'PUT /api/v1/users/me/preferences',
  target: 'app',
  prepare: ({ app, identities }) => {
    const next = alternatePerUser(identities.users, BODIES);
    return readyIfAnswers(app, () => {
      const [user, body] = next();
      return { method: 'PUT', path: '/api/v1/users/me/preferences', headers: json(user.authorization), body };
    });
  },
};
