import { ADMIN_ROLE } from '@ums/contract';
import { defineError } from '../../define-error.ts';

export const roleNotFound = defineError({ code: 'NOT_FOUND', description: 'No role has this name' }, (name: string) => ({
  message: `No role named "${name}"`,
}));

export const roleNameTaken = defineError(
  { code: 'CONFLICT', description: 'A role of this name already exists' },
  (name: string, cause: unknown) => ({
    message: `A role named "${name}" already exists`,
    details: { cause },
  }),
);

export const builtInRoleUndeletable = defineError(
  { code: 'CONFLICT', description: 'Built-in roles cannot be deleted' },
  (name: string) => ({
    message: `The built-in "${name}" role cannot be deleted`,
  }),
);

export const adminRolePermissionsFixed = defineError(
  { code: 'CONFLICT', description: `The built-in \`${ADMIN_ROLE}\` role always holds every permission` },
  () => ({ message: `The permissions of the built-in "${ADMIN_ROLE}" role cannot be changed: it always holds every permission` }),
);

export const permissionsNotHeld = defineError(
  { code: 'FORBIDDEN', description: 'A caller may only grant permissions they hold themselves' },
  (missing: readonly string[]) => ({ message: `You cannot grant permissions you do not hold: ${[...missing].sort().join(', ')}` }),
);
