import { fieldErrorsOf } from '@ums/shared';
import { type FormEvent, useEffect, useState } from 'react';
import type { User } from '../trpc.ts';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';

const FIELDS = ['fullName', 'email', 'phoneNumber', 'timezone', 'locale', 'avatarUrl', 'bio'] as const;
type ProfileField = (typeof FIELDS)[number];
type Draft = Record<ProfileField, string>;

export type ProfileChanges = {
  [K in Exclude<ProfileField, 'email'>]?: string | null;
} & { email?: string; expectedVersion: number };

const draftOf = (user: User): Draft => ({
  fullName: user.fullName ?? '',
  email: user.email,
  phoneNumber: user.phoneNumber ?? '',
  timezone: user.timezone ?? '',
  locale: user.locale ?? '',
  avatarUrl: user.avatarUrl ?? '',
  bio: user.bio ?? '',
});

/** Only what changed, `null` for a cleared field, and the version it was read at (a stale one gives 409). */
function changesOf(user: User, draft: Draft, withEmail: boolean): ProfileChanges {
  const original = draftOf(user);
  const changes: ProfileChanges = { expectedVersion: user.version };
  for (const field of FIELDS) {
    if (draft[field].trim() === original[field].trim()) continue;
    if (field === 'email') {
      if (withEmail) changes.email = draft.email;
    } else {
      changes[field] = draft[field].trim() === '' ? null : draft[field];
    }
  }
  return changes;
}

interface ProfileFormProps {
  user: User;
  /** Admins may change a user's email; nobody changes their own here. */
  withEmail: boolean;
  readOnly?: boolean;
  saving: boolean;
  saved: boolean;
  error: unknown;
  onSave(changes: ProfileChanges): void;
  onReload(): void;
}

export function ProfileForm({ user, withEmail, readOnly = false, saving, saved, error, onSave, onReload }: ProfileFormProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(user));
  // A new version (saved, or reloaded after a conflict) replaces the form's contents.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new version of the user resets the draft
  useEffect(() => setDraft(draftOf(user)), [user.id, user.version]);

  const errors = fieldErrorsOf(error);
  const set = (field: ProfileField) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));
  const changes = changesOf(user, draft, withEmail);
  const dirty = Object.keys(changes).length > 1;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dirty) onSave(changes);
  };

  return (
    <form onSubmit={submit} aria-label="Profile" noValidate>
      <ErrorBanner error={error} onReload={onReload} />
      <div className="grid">
        <TextField
          label="Full name"
          name="fullName"
          value={draft.fullName}
          onChange={set('fullName')}
          error={errors.fullName}
          readOnly={readOnly}
          autoComplete="name"
        />
        {withEmail && (
          <TextField
            label="Email"
            name="email"
            type="email"
            value={draft.email}
            onChange={set('email')}
            error={errors.email}
            readOnly={readOnly}
          />
        )}
        <TextField
          label="Phone number"
          name="phoneNumber"
          type="tel"
          value={draft.phoneNumber}
          onChange={set('phoneNumber')}
          error={errors.phoneNumber}
          hint="International format, e.g. +14155550123"
          readOnly={readOnly}
        />
        <TextField
          label="Time zone"
          name="timezone"
          value={draft.timezone}
          onChange={set('timezone')}
          error={errors.timezone}
          hint="e.g. Europe/Paris"
          readOnly={readOnly}
        />
        <TextField
          label="Locale"
          name="locale"
          value={draft.locale}
          onChange={set('locale')}
          error={errors.locale}
          hint="e.g. en-GB"
          readOnly={readOnly}
        />
        <TextField
          label="Avatar URL"
          name="avatarUrl"
          type="url"
          value={draft.avatarUrl}
          onChange={set('avatarUrl')}
          error={errors.avatarUrl}
          readOnly={readOnly}
        />
      </div>
      <TextField
        label="Bio"
        name="bio"
        multiline
        value={draft.bio}
        onChange={set('bio')}
        error={errors.bio}
        hint="Up to 500 characters"
        readOnly={readOnly}
      />
      {!readOnly && (
        <div className="actions">
          <button type="submit" className="primary" disabled={!dirty || saving}>
            {saving ? 'Saving…' : 'Save profile'}
          </button>
          {dirty && (
            <button type="button" onClick={() => setDraft(draftOf(user))}>
              Discard changes
            </button>
          )}
          {saved && !dirty && (
            <output className="saved" aria-live="polite">
              Saved (version {user.version})
            </output>
          )}
        </div>
      )}
    </form>
  );
}
