import { Link } from '../router.tsx';
import type { Person } from './person-picker.tsx';

/**
 * A person of the audit trail: their name and address, linked to their page. An id that is no user (any more)
 * shows as its first 8 characters, with the whole id on hover.
 */
export function PersonLink({ id, person }: { id: string; person: Person | null }) {
  if (!person) {
    return (
      <span title={id}>
        <code>{id.slice(0, 8)}</code> (no such user)
      </span>
    );
  }
  return (
    <Link to={`/users/${person.id}`} className="person-link">
      <span className="person-name">{person.fullName ?? person.email}</span>
      {person.fullName && <span className="person-email">{person.email}</span>}
    </Link>
  );
}
