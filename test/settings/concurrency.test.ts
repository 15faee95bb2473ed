import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { findAuditEvents } from '../support/audit-events.ts';
import { rest } from '../support/client.ts';
import { createSignedInUser } from '../support/users.ts';
import { byKey, type SettingsBody } from './helpers.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const WRITERS = 20;

describe('concurrent settings writers', () => {
  it('let exactly one of 20 updates with the same expectedVersion win; the others get 409 and change nothing', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const replies = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        rest(t.app, 'PUT', '/users/me/settings', {
          headers: user.headers,
          body: {
            settings: [
              { key: 'ui.page_size', value: 10 + i },
              { key: 'profile.headline', value: `writer ${i}` },
            ],
            expectedVersion: 1,
          },
        }),
      ),
    );
    const winners = replies.filter((reply) => reply.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(replies.filter((reply) => reply.statusCode === 409)).toHaveLength(WRITERS - 1);
    const winner = replies.indexOf(winners[0]!);

    const stored = await t.db.prisma.userSetting.findMany({
      where: { userId: user.id },
      select: { key: true, value: true },
      orderBy: { key: 'asc' },
    });
    expect(stored).toEqual([
      { key: 'profile.headline', value: `writer ${winner}` },
      { key: 'ui.page_size', value: 10 + winner },
    ]);
    const { settingsVersion } = await t.db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, select: { settingsVersion: true } });
    expect(settingsVersion).toBe(2);
    expect(await t.db.prisma.auditEvent.count({ where: { targetId: user.id, action: 'settings.updated' } })).toBe(1);
  });

  it('read what the writer before them wrote: 20 writers of one key chain their audited from/to without a gap', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const values = Array.from({ length: WRITERS }, (_, i) => 31 + i);
    const replies = await Promise.all(
      values.map((value) =>
        rest(t.app, 'PUT', '/users/me/settings', { headers: user.headers, body: { settings: [{ key: 'ui.page_size', value }] } }),
      ),
    );
    expect(replies.map((reply) => reply.statusCode)).toEqual(values.map(() => 200));
    replies.forEach((reply, i) => {
      expect(byKey((reply.json() as SettingsBody).settings).get('ui.page_size')?.value).toBe(values[i]);
    });

    const events = await findAuditEvents(t.db, {
      where: { targetId: user.id, action: 'settings.updated' },
    });
    const steps = events.map((event) => (event.changes as Record<string, { from: number; to: number }>)['ui.page_size']!);
    expect(steps).toHaveLength(WRITERS);
    // Each write's `from` is what the previous one wrote: one chain from the default (20) to the final value.
    const froms = steps.map((step) => step.from);
    const tos = steps.map((step) => step.to);
    expect(new Set(froms).size).toBe(WRITERS);
    expect(froms).toContain(20);
    expect(froms.filter((from) => from !== 20).every((from) => tos.includes(from))).toBe(true);
    const last = tos.filter((to) => !froms.includes(to));
    expect(last).toHaveLength(1);
    const stored = await t.db.prisma.userSetting.findUniqueOrThrow({
      where: { userId_key: { userId: user.id, key: 'ui.page_size' } },
      select: { value: true },
    });
    expect(stored.value).toBe(last[0]);
  });

  it('never lose an update: 20 writers of different keys without expectedVersion all land, each with a version of its own', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const keys: { key: string; value: unknown }[] = [
      { key: 'theme', value: 'dark' },
      { key: 'language', value: 'fr' },
      { key: 'date_format', value: 'DD/MM/YYYY' },
      { key: 'notifications.email', value: false },
      { key: 'notifications.sms', value: true },
      { key: 'notifications.push', value: false },
      { key: 'ui.density', value: 'compact' },
      { key: 'ui.sidebar_collapsed', value: true },
      { key: 'ui.page_size', value: 100 },
      { key: 'ui.font_scale', value: 1.5 },
      { key: 'ui.accent_color', value: '#000000' },
      { key: 'ui.time_format', value: '12h' },
      { key: 'ui.week_start', value: 0 },
      { key: 'profile.visibility', value: 'private' },
      { key: 'profile.show_email', value: true },
      { key: 'privacy.analytics', value: false },
      { key: 'security.session_timeout_minutes', value: 30 },
      { key: 'communication.digest_frequency', value: 'daily' },
      { key: 'accessibility.reduced_motion', value: true },
      { key: 'accessibility.high_contrast', value: true },
    ];
    expect(keys).toHaveLength(WRITERS);
    const replies = await Promise.all(
      keys.map((setting) => rest(t.app, 'PUT', '/users/me/settings', { headers: user.headers, body: { settings: [setting] } })),
    );
    expect(replies.map((reply) => reply.statusCode)).toEqual(keys.map(() => 200));
    expect(new Set(replies.map((reply) => (reply.json() as SettingsBody).version))).toEqual(
      new Set(Array.from({ length: WRITERS }, (_, i) => i + 2)),
    );

    const final = await rest(t.app, 'GET', '/users/me/settings', { headers: user.headers });
    const settings = byKey((final.json() as SettingsBody).settings);
    for (const { key, value } of keys) expect(settings.get(key)?.value, key).toEqual(value);
    expect((final.json() as SettingsBody).version).toBe(WRITERS + 1);
  });
});
