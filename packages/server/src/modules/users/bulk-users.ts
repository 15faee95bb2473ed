import type { TBulkAction, TBulkInput, TBulkItemResult, TBulkResult } from '@ums/contract';
import { selectRolesByName } from '@ums/db';
import { AppError, fieldError } from '../../app-error.ts';
import type { ServiceDeps } from '../service-deps.ts';
import { deactivateUser } from './deactivate-user.ts';
import { reactivateUser } from './reactivate-user.ts';
import { revokeUserSessions } from './revoke-user-sessions.ts';
import { setUserRoles } from './set-user-roles.ts';

export interface BulkUsers extends TBulkInput {
  callerId: string;
  /** The caller's permissions: a role is handed out only if they hold all of its permissions (as users.roles.set). */
  callerPermissions: ReadonlySet<string>;
}

type Deps = Pick<ServiceDeps, 'db' | 'actor'>;

/**
 * One action on many users, each through the single-user service of that action (its rules, its transaction, its
 * audit event and webhook): one item's refusal is that item's answer and never stops the others. A repeated id is
 * run once; its repeats carry the first occurrence's answer and `duplicateOf`. The permission was checked by the
 * procedure builder before this runs. An error that is not a domain refusal (the database gone) stops the call as
 * any procedure's would: the items already answered stay done.
 */
export async function bulkUsers(deps: Deps, input: BulkUsers): Promise<TBulkResult> {
  if (input.role !== undefined && (await selectRolesByName(deps.db, [input.role])).length === 0) {
    throw fieldError(['role'], `unknown role "${input.role}"`);
  }
  const run = itemRunner(deps, input);
  const firstIndexOf = new Map<string, number>();
  const results: TBulkItemResult[] = [];
  for (const [index, givenId] of input.ids.entries()) {
    // UUIDs are compared lower-cased, as PostgreSQL reads them: `A…` and `a…` are one user.
    const id = givenId.toLowerCase();
    const first = firstIndexOf.get(id);
    const firstResult = first === undefined ? undefined : results[first];
    if (first !== undefined && firstResult) {
      results.push({ ...firstResult, id: givenId, duplicateOf: first });
      continue;
    }
    firstIndexOf.set(id, index);
    results.push(await answer(givenId, () => run(id)));
  }
  return { results };
}

async function answer(id: string, work: () => Promise<unknown>): Promise<TBulkItemResult> {
  try {
    await work();
    return { id, ok: true };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { id, ok: false, code: error.code, message: error.message };
  }
}

function itemRunner(deps: Deps, { action, role, reason, callerId, callerPermissions }: BulkUsers): (id: string) => Promise<unknown> {
  const runners: Record<TBulkAction, (id: string) => Promise<unknown>> = {
    deactivate: (id) => deactivateUser(deps, { id, reason, callerId }),
    reactivate: (id) => reactivateUser(deps, { id }),
    revokeSessions: (id) => revokeUserSessions(deps, { id, callerId }),
    assignRole: (id) =>
      setUserRoles(deps, { id, roles: (current) => [...current, requiredRole(role)], granterPermissions: callerPermissions }),
    removeRole: (id) =>
      setUserRoles(deps, {
        id,
        roles: (current) => current.filter((held) => held !== requiredRole(role)),
        granterPermissions: callerPermissions,
      }),
  };
  return runners[action];
}

/** The input schema requires `role` for the role actions; this keeps the type honest without a cast. */
function requiredRole(role: string | undefined): string {
  if (role === undefined) throw fieldError(['role'], 'is required');
  return role;
}
