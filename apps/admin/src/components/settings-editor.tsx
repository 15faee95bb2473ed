import { issuesOf } from '@ums/shared';
import { type FormEvent, useMemo, useState } from 'react';
import { formatValue } from '../format.ts';
import type { Setting, SettingChange } from '../trpc.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Checkbox, Field } from './field.tsx';
import { SaveActions } from './save-actions.tsx';
import type { SaveState } from './save-state.ts';
import { useDraft } from './use-draft.ts';

interface DraftEntry {
  /** Booleans as booleans; everything else as the text in its input. */
  value: string | boolean;
  isPublic: boolean;
}
type Draft = Record<string, DraftEntry>;

const textOf = (setting: Setting) =>
  setting.settingType === 'json' ? JSON.stringify(setting.value, null, 1) : String(setting.value ?? '');
const draftOf = (settings: readonly Setting[]): Draft =>
  Object.fromEntries(
    settings.map((setting) => [
      setting.key,
      { value: setting.settingType === 'boolean' ? setting.value === true : textOf(setting), isPublic: setting.isPublic },
    ]),
  );

/** The typed value of an input, or the reason it has none. */
function parse(setting: Setting, raw: string | boolean): { value: unknown } | { problem: string } {
  if (typeof raw === 'boolean') return { value: raw };
  switch (setting.settingType) {
    case 'integer':
    case 'number': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) return { problem: 'must be a number' };
      return { value };
    }
    case 'json':
      try {
        return { value: JSON.parse(raw) };
      } catch {
        return { problem: 'must be valid JSON' };
      }
    default:
      return { value: raw };
  }
}

interface SettingsEditorProps extends SaveState {
  settings: readonly Setting[];
  version: number;
  readOnly?: boolean;
  onSave(changes: SettingChange[], expectedVersion: number): void;
}

/** Every catalog setting, grouped by category; saves the changed ones as one all-or-nothing batch. */
export function SettingsEditor({ settings, version, readOnly = false, saving, saved, error, onSave, onReload }: SettingsEditorProps) {
  const { draft, setDraft, discard } = useDraft(() => draftOf(settings), version);
  const [submittedKeys, setSubmittedKeys] = useState<string[]>([]);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const initial = useMemo(() => draftOf(settings), [settings]);
  const changedKeys = settings
    .map((setting) => setting.key)
    .filter((key) => draft[key]?.value !== initial[key]?.value || draft[key]?.isPublic !== initial[key]?.isPublic);

  // The server names a batch entry by its index (`settings.3.value`): map it back to the key it was sent for.
  const serverErrors: Record<string, string> = {};
  for (const issue of issuesOf(error)) {
    const [root, index] = issue.path;
    const key = root === 'settings' && typeof index === 'number' ? submittedKeys[index] : undefined;
    if (key) serverErrors[key] = serverErrors[key] ? `${serverErrors[key]}; ${issue.message}` : issue.message;
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const changes: SettingChange[] = [];
    for (const key of changedKeys) {
      const setting = settings.find((item) => item.key === key);
      const entry = draft[key];
      if (!setting || !entry) continue;
      const parsed = parse(setting, entry.value);
      if ('problem' in parsed) problems[key] = parsed.problem;
      else changes.push({ key, value: parsed.value as SettingChange['value'], isPublic: entry.isPublic });
    }
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0 || changes.length === 0) return;
    setSubmittedKeys(changes.map((change) => change.key));
    onSave(changes, version);
  };

  const categories = [...new Set(settings.map((setting) => setting.category))];
  const update = (key: string, patch: Partial<DraftEntry>) =>
    setDraft((current) => ({ ...current, [key]: { ...(current[key] ?? { value: '', isPublic: false }), ...patch } }));

  return (
    <form onSubmit={submit} aria-label="Settings" noValidate>
      <ErrorBanner error={error} onReload={onReload} />
      {categories.map((category) => (
        <fieldset key={category} className="settings-group">
          <legend>{category.replace(/_/g, ' ')}</legend>
          {settings
            .filter((setting) => setting.category === category)
            .map((setting) => (
              <SettingRow
                key={setting.key}
                setting={setting}
                entry={draft[setting.key]}
                error={localErrors[setting.key] ?? serverErrors[setting.key]}
                readOnly={readOnly}
                onChange={(patch) => update(setting.key, patch)}
              />
            ))}
        </fieldset>
      ))}
      {!readOnly && (
        <SaveActions
          label={changedKeys.length > 0 ? `Save ${changedKeys.length} change${changedKeys.length === 1 ? '' : 's'}` : 'Save settings'}
          dirty={changedKeys.length > 0}
          saving={saving}
          saved={saved}
          onDiscard={discard}
        />
      )}
    </form>
  );
}

interface SettingRowProps {
  setting: Setting;
  entry: DraftEntry | undefined;
  error: string | undefined;
  readOnly: boolean;
  onChange(patch: Partial<DraftEntry>): void;
}

function SettingRow({ setting, entry, error, readOnly, onChange }: SettingRowProps) {
  const value = entry?.value ?? '';
  const allowed = setting.validationRules.allowed_values;
  const label = setting.key;
  const hint = `${setting.description}${setting.isDefault ? ' (default)' : ''}`;
  return (
    <div className="setting-row">
      {typeof value === 'boolean' ? (
        <Checkbox label={label} hint={hint} checked={value} onChange={(checked) => onChange({ value: checked })} disabled={readOnly} />
      ) : (
        <Field label={label} hint={hint} error={error}>
          {(control) =>
            allowed ? (
              <select {...control} value={value} disabled={readOnly} onChange={(event) => onChange({ value: event.target.value })}>
                {allowed.map((option) => (
                  <option key={String(option)} value={String(option)}>
                    {formatValue(option)}
                  </option>
                ))}
              </select>
            ) : setting.settingType === 'json' ? (
              <textarea
                {...control}
                rows={3}
                value={value}
                readOnly={readOnly}
                onChange={(event) => onChange({ value: event.target.value })}
              />
            ) : (
              <input
                {...control}
                type={setting.settingType === 'string' ? 'text' : 'number'}
                step={setting.settingType === 'number' ? 'any' : undefined}
                value={value}
                readOnly={readOnly}
                onChange={(event) => onChange({ value: event.target.value })}
              />
            )
          }
        </Field>
      )}
      {typeof value === 'boolean' && error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <Checkbox
        label="Public"
        ariaLabel={`Show ${setting.key} on the public profile`}
        checked={entry?.isPublic ?? false}
        onChange={(isPublic) => onChange({ isPublic })}
        disabled={readOnly}
      />
    </div>
  );
}
