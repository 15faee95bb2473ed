import { randomUUID } from 'node:crypto';
import { settingsCatalog } from '@ums/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc, trpcData } from '../support/client.ts';
import { createSignedInUser, createUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let viewer: SignedIn;

beforeAll(async () => {
  t = await createTestApp();
  viewer = await createSignedInUser(t.db.prisma, t.config);
});
afterAll(() => t.close());

const publicByDefault = settingsCatalog.filter((definition) => definition.isPublic).map((definition) => definition.key);

describe('users.publicProfile', () => {
  it('shows the public fields and the settings public by default, to any signed-in user', async () => {
    const owner = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Ada Lovelace' });
    await t.db.prisma.user.update({ where: { id: owner.id }, data: { bio: 'Analyst', avatarUrl: 'https://img.example/ada.png' } });
    const res = await rest(t.app, 'GET', `/users/${owner.id}/public`, { headers: viewer.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: owner.id,
      fullName: 'Ada Lovelace',
      avatarUrl: 'https://img.example/ada.png',
      bio: 'Analyst',
      publicSettings: Object.fromEntries(publicByDefault.map((key) => [key, ''])),
    });
    expect(Object.keys((res.json() as { publicSettings: object }).publicSettings).sort()).toEqual(
      ['profile.headline', 'profile.location', 'profile.pronouns', 'profile.website'].sort(),
    );
    const viaTrpc = await trpc(t.app, 'query', 'users.publicProfile', { headers: viewer.headers, input: { id: owner.id } });
    expect(trpcData(viaTrpc)).toEqual(res.json());
    expect(res.json()).not.toHaveProperty('email');
  });

  it('follows each user’s own choice: private ones never show, ones made public do', async () => {
    const owner = await createSignedInUser(t.db.prisma, t.config);
    const put = await rest(t.app, 'PUT', '/users/me/settings', {
      headers: owner.headers,
      body: {
        settings: [
          { key: 'profile.pronouns', value: 'she/her' },
          { key: 'profile.location', value: 'Secret Island', isPublic: false },
          { key: 'profile.website', value: 'https://ada.example' },
          { key: 'ui.accent_color', value: '#ff00ff', isPublic: true },
          { key: 'theme', value: 'dark' },
          { key: 'notifications.sms', value: true },
        ],
      },
    });
    expect(put.statusCode, JSON.stringify(put.json())).toBe(200);
    const res = await rest(t.app, 'GET', `/users/${owner.id}/public`, { headers: viewer.headers });
    expect((res.json() as { publicSettings: unknown }).publicSettings).toEqual({
      'ui.accent_color': '#ff00ff',
      'profile.pronouns': 'she/her',
      'profile.headline': '',
      'profile.website': 'https://ada.example',
    });
    expect(JSON.stringify(res.json())).not.toContain('Secret Island');

    await rest(t.app, 'PUT', '/users/me/settings', {
      headers: owner.headers,
      body: {
        settings: [{ key: 'ui.accent_color', value: '#ff00ff', isPublic: false }],
      },
    });
    const after = await rest(t.app, 'GET', `/users/${owner.id}/public`, { headers: viewer.headers });
    expect((after.json() as { publicSettings: object }).publicSettings).not.toHaveProperty('ui.accent_color');
  });

  it('answers 404 for a deactivated or unknown user, and 401 without a token', async () => {
    const gone = await createUser(t.db.prisma, { isActive: false, fullName: 'Gone' });
    const res = await rest(t.app, 'GET', `/users/${gone.id}/public`, { headers: viewer.headers });
    expect(res.statusCode).toBe(404);
    expect(JSON.stringify(res.json())).not.toContain('Gone');
    expect((await rest(t.app, 'GET', `/users/${randomUUID()}/public`, { headers: viewer.headers })).statusCode).toBe(404);
    expect((await rest(t.app, 'GET', `/users/${viewer.id}/public`)).statusCode).toBe(401);
  });
});
