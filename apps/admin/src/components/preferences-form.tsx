import { DATE_FORMATS, fieldErrorsOf, THEMES } from '@ums/shared';
import { type FormEvent, useEffect, useState } from 'react';
import type { Preferences } from '../trpc.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Checkbox, SelectField, TextField } from './field.tsx';

type Draft = Omit<Preferences, 'version'>;
const draftOf = ({ version: _version, ...preferences }: Preferences): Draft => preferences;

interface PreferencesFormProps {
  preferences: Preferences;
  saving: boolean;
  saved: boolean;
  error: unknown;
  onSave(draft: Draft, expectedVersion: number): void;
  onReload(): void;
}

export function PreferencesForm({ preferences, saving, saved, error, onSave, onReload }: PreferencesFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(preferences));
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version replaces the draft
  useEffect(() => setDraft(draftOf(preferences)), [preferences.version]);
  const errors = fieldErrorsOf(error);
  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(preferences));
  const notify = (channel: keyof Draft['notifications']) => (checked: boolean) =>
    setDraft((current) => ({ ...current, notifications: { ...current.notifications, [channel]: checked } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(draft, preferences.version);
  };

  return (
    <form onSubmit={submit} aria-label="Preferences" noValidate>
      <ErrorBanner error={error} onReload={onReload} />
      <div className="grid">
        <SelectField
          label="Theme"
          name="theme"
          value={draft.theme}
          options={THEMES}
          error={errors.theme}
          onChange={(theme) => setDraft((current) => ({ ...current, theme: theme as Draft['theme'] }))}
        />
        <TextField
          label="Language"
          name="language"
          value={draft.language}
          error={errors.language}
          hint="e.g. en or pt-BR"
          onChange={(language) => setDraft((current) => ({ ...current, language }))}
        />
        <TextField
          label="Time zone"
          name="timezone"
          value={draft.timezone}
          error={errors.timezone}
          hint="The same value as your profile's time zone"
          onChange={(timezone) => setDraft((current) => ({ ...current, timezone }))}
        />
        <SelectField
          label="Date format"
          name="dateFormat"
          value={draft.dateFormat}
          options={DATE_FORMATS}
          error={errors.dateFormat}
          onChange={(dateFormat) => setDraft((current) => ({ ...current, dateFormat }))}
        />
      </div>
      <fieldset className="checkbox-list">
        <legend>Notifications</legend>
        <Checkbox label="Email" checked={draft.notifications.email} onChange={notify('email')} />
        <Checkbox label="SMS" checked={draft.notifications.sms} onChange={notify('sms')} />
        <Checkbox label="Push" checked={draft.notifications.push} onChange={notify('push')} />
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={!dirty || saving}>
          {saving ? 'Saving…' : 'Save preferences'}
        </button>
        {saved && !dirty && (
          <output className="saved" aria-live="polite">
            Saved
          </output>
        )}
      </div>
    </form>
  );
}
