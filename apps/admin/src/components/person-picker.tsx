import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { useTRPC } from '../trpc.ts';

export interface Person {
  id: string;
  fullName: string | null;
  email: string;
}

interface PersonPickerProps {
  label: string;
  /** The chosen user's id, '' for none. */
  value: string;
  /** Who `value` is, when known (a pick, or the people of the page shown); otherwise the id is shown. */
  person: Person | undefined;
  onChange(id: string, person: Person | undefined): void;
  error?: string | undefined;
}

const SUGGESTIONS = 8;

/** "Name <email>", or the address alone for someone without a name. */
export const personLabel = (person: Person) => (person.fullName ? `${person.fullName} <${person.email}>` : person.email);

/**
 * Picks one user by name or address (users.list search, as typed) and hands over their id: for filters that take
 * a user id, so nobody has to copy ids around.
 */
export function PersonPicker({ label, value, person, onChange, error }: PersonPickerProps) {
  const trpc = useTRPC();
  const id = useId();
  const [query, setQuery] = useState('');
  const search = useDeferredValue(query.trim());
  const matches = useQuery({
    ...trpc.users.list.queryOptions({ search, limit: SUGGESTIONS }),
    enabled: value === '' && search.length >= 2,
  });

  if (value !== '') {
    return (
      <div className="field person-picker">
        <span className="label">{label}</span>
        <div className="person-chosen">
          <span>{person ? personLabel(person) : <code>{value}</code>}</span>{' '}
          <button type="button" onClick={() => onChange('', undefined)} aria-label={`Clear ${label.toLowerCase()}`}>
            Clear
          </button>
        </div>
        {error && <p className="field-error">{error}</p>}
      </div>
    );
  }

  const options = search.length >= 2 ? (matches.data?.items ?? []) : [];
  return (
    <div className={error ? 'field field--invalid person-picker' : 'field person-picker'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        placeholder="Name or email"
        autoComplete="off"
        value={query}
        aria-controls={`${id}-options`}
        onChange={(event) => setQuery(event.target.value)}
      />
      {options.length > 0 && (
        <ul className="person-options" id={`${id}-options`} aria-label={`${label}: matching users`}>
          {options.map((user) => (
            <li key={user.id}>
              <button
                type="button"
                onClick={() => {
                  setQuery('');
                  onChange(user.id, { id: user.id, fullName: user.fullName, email: user.email });
                }}
              >
                {personLabel(user)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {search.length >= 2 && matches.data?.items.length === 0 && <p className="field-hint">No user matches.</p>}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
