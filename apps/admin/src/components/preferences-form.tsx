import { DATE_FORMATS, fieldErrorsOf, THEMES } from '@ums/shared';
import type { FormEvent } from 'react';
import type { Preferences } from '../trpc.ts';
import { ErrorBanner } from './error-banner.tsx';
import { Checkbox, SelectField, TextField } from './field.tsx';
import { fieldSetter } from './field-setter.ts';
import { SaveActions } from './save-actions.tsx';
import type { SaveState } from './save-state.ts';
import { useDraft } from './use-draft.ts';

type Draft = Omit<Preferences, 'version'>;
const draftOf = ({ version: _version, ...preferences }: Preferences): Draft => preferences;

interface PreferencesFormProps extends SaveState {
  preferences: Preferences;
  onSave(draft: Draft, expectedVersion: number): void;
}

export function PreferencesForm({ preferences, saving, saved, error, onSave, onReload }: PreferencesFormProps) {
  const { draft, setDraft } = useDraft(() => draftOf(preferences), preferences.version);
  const set = fieldSetter(setDraft);
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
          onChange={(theme) => set('theme')(theme as Draft['theme'])}
        />
        <TextField
          label="Language"
          name="language"
          hint="e.g. en or pt-BR"
          value={draft.language}
          error={errors.language}
          onChange={set('language')}
        />
        <TextField
          label="Time zone"
          name="timezone"
          hint="The same value as your profile's time zone"
          value={draft.timezone}
          error={errors.timezone}
          onChange={set('timezone')}
        />
        <SelectField
          label="Date format"
          name="dateFormat"
          value={draft.dateFormat}
          options={DATE_FORMATS}
          error={errors.dateFormat}
          onChange={set('dateFormat')}
        />
      </div>
      <fieldset className="checkbox-list">
        <legend>Notifications</legend>
        <Checkbox label="Email" checked={draft.notifications.email} onChange={notify('email')} />
        <Checkbox label="SMS" checked={draft.notifications.sms} onChange={notify('sms')} />
        <Checkbox label="Push" checked={draft.notifications.push} onChange={notify('push')} />
      </fieldset>
      <SaveActions label="Save preferences" dirty={dirty} saving={saving} saved={saved} />
    </form>
  );
}
