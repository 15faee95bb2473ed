import type pg from 'pg';
import { withIndexesDeferred } from './bulk-load.ts';
import { describeAnswer, isSuccess, json, send } from './http.ts';
import { ORDINAL_SQL } from './seed.ts';
import type { ChildServer } from './server-process.ts';
import { type SettingsPlan, settingsBody } from './settings-catalog.ts';
import type { BenchIdentities } from './tokens.ts';

/** "A handful of settings each". */
const SEEDED_KEYS = 6;

// The design's first, key-value shape of user_settings; written directly only while no settings API exists yet.
const KEY_VALUE_COLUMNS = ['id', 'key', 'user_id', 'value'];
const KEY_VALUE_SETTINGS: Array<[string, string, string]> = [
  ['theme', 'dark', 'light'],
  ['language', 'en', 'de'],
  ['date_format', 'YYYY-MM-DD', 'DD.MM.YYYY'],
  ['notifications.email', 'true', 'false'],
  ['notifications.sms', 'false', 'true'],
  ['notifications.push', 'true', 'true'],
];

/**
 * Gives every user a handful of settings. With the settings API up, two template users write theirs through it and
 * their rows are copied to everyone else in one statement — whatever columns and value encoding the settings
 * colleague chose. Returns a line for the report.
 */
export async function seedSettings(
  client: pg.Client,
  app: ChildServer,
  identities: BenchIdentities,
  plan: SettingsPlan | { unavailable: string },
): Promise<string> {
  const columns = await settingsColumns(client);
  if ('unavailable' in plan) {
    const keyValueShape = columns.length === KEY_VALUE_COLUMNS.length && columns.every((column) => KEY_VALUE_COLUMNS.includes(column.name));
    if (!keyValueShape) return `settings not seeded (${plan.unavailable}; user_settings is no longer key-value)`;
    const result = await client.query(
      `INSERT INTO user_settings (id, user_id, key, value)
       SELECT gen_random_uuid(), u.id, s.key, CASE WHEN ${ORDINAL_SQL} % 2 = 0 THEN s.even ELSE s.odd END
         FROM users u CROSS JOIN unnest($1::text[], $2::text[], $3::text[]) AS s(key, even, odd)`,
      [KEY_VALUE_SETTINGS.map((s) => s[0]), KEY_VALUE_SETTINGS.map((s) => s[1]), KEY_VALUE_SETTINGS.map((s) => s[2])],
    );
    return `${(result.rowCount ?? 0).toLocaleString('en')} key-value settings rows written directly (settings API not available)`;
  }

  const [even, odd] = identities.templates;
  for (const [template, variant] of [[even, 0] as const, [odd, 1] as const]) {
    const answer = await send(app.baseUrl, {
      method: 'PUT',
      path: '/api/v1/users/me/settings',
      headers: json(template.authorization),
      body: settingsBody(plan, variant, SEEDED_KEYS),
    });
    if (!isSuccess(answer.status)) return `settings not seeded (template write: ${describeAnswer(answer)})`;
  }
  const generated = new Set(['user_id']);
  const idColumn = columns.find((column) => column.name === 'id');
  if (idColumn) generated.add('id');
  const copied = columns.map((column) => column.name).filter((name) => !generated.has(name));
  const quoted = (names: string[], prefix = '') => names.map((name) => `${prefix}"${name}"`).join(', ');
  const idInsert = idColumn?.dataType === 'uuid' ? ['id'] : [];
  const result = await withIndexesDeferred(client, ['user_settings'], () =>
    client.query(
      `INSERT INTO user_settings (${quoted(['user_id', ...idInsert, ...copied])})
     SELECT u.id, ${idInsert.length > 0 ? 'gen_random_uuid(), ' : ''}${quoted(copied, 't.')}
       FROM users u
       JOIN user_settings t ON t.user_id = CASE WHEN ${ORDINAL_SQL} % 2 = 0 THEN $1::uuid ELSE $2::uuid END
      WHERE NOT EXISTS (SELECT 1 FROM user_settings mine WHERE mine.user_id = u.id)`,
      [even.userId, odd.userId],
    ),
  );
  return `${(result.rowCount ?? 0).toLocaleString('en')} settings rows (${SEEDED_KEYS} keys written through the API by two users, copied to all)`;
}

async function settingsColumns(client: pg.Client): Promise<Array<{ name: string; dataType: string }>> {
  const { rows } = await client.query<{ name: string; data_type: string }>(
    `SELECT column_name AS name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'user_settings' ORDER BY ordinal_position`,
  );
  return rows.map((row) => ({ name: row.name, dataType: row.data_type }));
}
