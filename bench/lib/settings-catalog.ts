import { describeAnswer, isSuccess, json, send } from './http.ts';
import type { ChildServer } from './server-process.ts';
import type { BenchIdentity } from './tokens.ts';

const SETTINGS_PATH = '/api/v1/users/me/settings';

interface CatalogItem {
  key: string;
  settingType: string;
  default: unknown;
  rules: Record<string, unknown>;
}

/** A batch of catalog keys with two valid values each, so alternating writes really change rows. */
export interface SettingsPlan {
  keys: string[];
  catalogSize: number;
  /** Per key: [changed value, catalog default]. Keys whose change the server refused use the default twice. */
  values: Array<[unknown, unknown]>;
}

/** `{ settings: [{ key, value }] }` with the first `count` keys of the plan, variant 0 or 1. */
export function settingsBody(plan: SettingsPlan, variant: 0 | 1, count = plan.keys.length): string {
  return JSON.stringify({
    settings: plan.keys.slice(0, count).map((key, index) => ({ key, value: plan.values[index]?.[variant] })),
  });
}

/**
 * Reads the catalog (the settings colleague's: GET /api/v1/settings/catalog) and picks `size` keys. A changed value
 * is derived from each key's type and rules and checked with one real write, falling back to the default.
 */
export async function planSettingsBatch(
  server: ChildServer,
  caller: BenchIdentity,
  size = 20,
): Promise<SettingsPlan | { unavailable: string }> {
  const catalog = await send(server.baseUrl, { method: 'GET', path: '/api/v1/settings/catalog', headers: json(caller.authorization) });
  if (!isSuccess(catalog.status)) return { unavailable: `settings catalog: ${describeAnswer(catalog)}` };
  const items = parseCatalog(catalog.body);
  if (items.length === 0) return { unavailable: 'settings catalog is empty' };
  const chosen = items.slice(0, size);
  const values: Array<[unknown, unknown]> = [];
  for (const item of chosen) {
    const changed = changedValue(item);
    let accepted = false;
    if (JSON.stringify(changed) !== JSON.stringify(item.default)) {
      const probe = await send(server.baseUrl, {
        method: 'PUT',
        path: SETTINGS_PATH,
        headers: json(caller.authorization),
        body: JSON.stringify({ settings: [{ key: item.key, value: changed }] }),
      });
      accepted = isSuccess(probe.status);
    }
    values.push([accepted ? changed : item.default, item.default]);
  }
  const plan: SettingsPlan = { keys: chosen.map((item) => item.key), catalogSize: items.length, values };
  for (const variant of [0, 1] as const) {
    const probe = await send(server.baseUrl, {
      method: 'PUT',
      path: SETTINGS_PATH,
      headers: json(caller.authorization),
      body: settingsBody(plan, variant),
    });
    if (!isSuccess(probe.status)) return { unavailable: `settings update of ${plan.keys.length} keys: ${describeAnswer(probe)}` };
  }
  return plan;
}

function parseCatalog(body: unknown): CatalogItem[] {
  const items = isRecord(body) && Array.isArray(body.items) ? body.items : [];
  return items.filter(isRecord).flatMap((item) =>
    typeof item.key === 'string'
      ? [
          {
            key: item.key,
            settingType: typeof item.settingType === 'string' ? item.settingType : 'string',
            default: item.default,
            rules: isRecord(item.validationRules) ? item.validationRules : {},
          },
        ]
      : [],
  );
}

function changedValue({ settingType, default: current, rules }: CatalogItem): unknown {
  const allowed = rules.allowed_values;
  if (Array.isArray(allowed)) return allowed.find((value) => JSON.stringify(value) !== JSON.stringify(current)) ?? current;
  if (settingType === 'boolean' && typeof current === 'boolean') return !current;
  if ((settingType === 'integer' || settingType === 'number') && typeof current === 'number') {
    const max = typeof rules.max === 'number' ? rules.max : Number.POSITIVE_INFINITY;
    const min = typeof rules.min === 'number' ? rules.min : Number.NEGATIVE_INFINITY;
    if (current + 1 <= max) return current + 1;
    if (current - 1 >= min) return current - 1;
    return current;
  }
  if (settingType === 'string' && typeof current === 'string' && rules.pattern === undefined) {
    const maxLength = typeof rules.max_length === 'number' ? rules.max_length : Number.POSITIVE_INFINITY;
    const changed = `${current}x`;
    return changed.length <= maxLength ? changed : current;
  }
  return current;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
