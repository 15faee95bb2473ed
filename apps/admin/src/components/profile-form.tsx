import { fieldErrorsOf } from '@ums/shared';
import type { FormEvent } from 'react';
import type { User, UserUpdate } from '../trpc.ts';
import { ErrorBanner } from './error-banner.tsx';
import { TextField } from './field.tsx';
import { fieldSetter } from './field-setter.ts';
import { SaveActions } from './save-actions.tsx';
import type { SaveState } from './save-state.ts';
import { useDraft } from './use-draft.ts';

/** What a save sends: the changed fields only, and the version they were read at (a stale one gives 409). */
export type ProfileChanges = Omit<UserUpdate, 'id'> & Required<Pick<UserUpdate, 'expectedVersion'>>;

interface ProfileFieldSpec {
  name: Exclude<keyof ProfileChanges, 'expectedVersion'>;
  label: string;
  type?: 'email' | 'tel' | 'url';
  hint?: string;
  autoComplete?: string;
  /** Long text: shown under the grid, full width. */
  multiline?: boolean;
}

/**
 * The profile's fields, in the order the form shows them. The draft is typed from this list and the controls from the
 * API's input, so a profile field the API adds does not compile until it is listed here.
 */
const FIELDS = [
  { name: 'fullName', label: 'Full name', autoComplete: 'name' },
  { name: 'email', label: 'Email', type: 'email' },
  { name: 'phoneNumber', label: 'Phone number', type: 'tel', hint: 'International format, e.g. +14155550123' },
  { name: 'timezone', label: 'Time zone', hint: 'e.g. Europe/Paris' },
  { name: 'locale', label: 'Locale', hint: 'e.g. en-GB' },
  { name: 'avatarUrl', label: 'Avatar URL', type: 'url' },
  { name: 'bio', label: 'Bio', multiline: true, hint: 'Up to 500 characters' },
] as const satisfies readonly ProfileFieldSpec[];
type ProfileField = (typeof FIELDS)[number]['name'];
type Draft = Record<ProfileField, string>;

const draftOf = (user: User) => Object.fromEntries(FIELDS.map(({ name }) => [name, user[name] ?? ''])) as Draft;

/** Only what changed, `null` for a cleared field. */
function changesOf(user: User, draft: Draft, withEmail: boolean): ProfileChanges {
  const original = draftOf(user);
  const changes: ProfileChanges = { expectedVersion: user.version };
  for (const { name } of FIELDS) {
    if (draft[name].trim() === original[name].trim()) continue;
    if (name === 'email') {
      if (withEmail) changes.email = draft.email;
    } else {
      changes[name] = draft[name].trim() === '' ? null : draft[name];
    }
  }
  return changes;
}

interface ProfileFormProps extends SaveState {
  user: User;
  /** Admins may change a user's email; nobody changes their own here. */
  withEmail: boolean;
  readOnly?: boolean;
  onSave(changes: ProfileChanges): void;
}

export function ProfileForm({ user, withEmail, readOnly = false, saving, saved, error, onSave, onReload }: ProfileFormProps) {
  const { draft, setDraft, discard } = useDraft(() => draftOf(user), `${user.id}@${user.version}`);
  const set = fieldSetter(setDraft);
  const errors = fieldErrorsOf(error);
  const changes = changesOf(user, draft, withEmail);
  const dirty = Object.keys(changes).length > 1;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dirty) onSave(changes);
  };

  const shown: readonly ProfileFieldSpec[] = FIELDS.filter((field) => withEmail || field.name !== 'email');
  const textField = (field: ProfileFieldSpec) => (
    <TextField
      key={field.name}
      {...field}
      value={draft[field.name]}
      onChange={set(field.name)}
      error={errors[field.name]}
      readOnly={readOnly}
    />
  );

  return (
    <form onSubmit={submit} aria-label="Profile" noValidate>
      <ErrorBanner error={error} onReload={onReload} />
      <div className="grid">{shown.filter((field) => !field.multiline).map(textField)}</div>
      {shown.filter((field) => field.multiline).map(textField)}
      {!readOnly && (
        <SaveActions
          label="Save profile"
          dirty={dirty}
          saving={saving}
          saved={saved}
          savedMessage={`Saved (version ${user.version})`}
          onDiscard={discard}
        />
      )}
    </form>
  );
}
