import { json, rotate } from '../lib/http.ts';
import { BENCH_PASSWORD } from '../lib/seed.ts';
import { readyIfAnswers } from './probe.ts';
import type { Scenario } from './types.ts';

export const loginScenario: Scenario = {
  id: 'login',
  group: 'login',
  title: 'POST /api/v1/auth/login',
  target: 'app',
  prepare: ({ app, identities }) => {
    const user = rotate(identities.users);
    return readyIfAnswers(app, () => ({
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: json(),
      body: JSON.stringify({ email: user().email, password: BENCH_PASSWORD }),
    }));
  },
};
