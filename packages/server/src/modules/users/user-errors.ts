import { defineError } from '../../define-error.ts';

export const userNotFound = defineError({ code: 'NOT_FOUND', description: 'No user has this id' }, () => ({ message: 'No such user' }));

export const emailTaken = defineError(
  { code: 'CONFLICT', description: 'Another account already uses this email address' },
  (cause?: unknown) => ({
    message: 'This email address is already in use',
    details: { cause },
  }),
);

export const versionConflict = defineError(
  { code: 'CONFLICT', description: "`expectedVersion` is not the user's current version: reload (the body has `data.currentVersion`)" },
  (currentVersion: number) => ({
    message: `The user was changed meanwhile (now at version ${currentVersion}); reload and retry`,
    details: { data: { currentVersion } },
  }),
);

export const selfDeactivation = defineError({ code: 'CONFLICT', description: 'Callers cannot deactivate their own account' }, () => ({
  message: 'You cannot deactivate your own account',
}));

export const lastActiveAdmin = defineError({ code: 'CONFLICT', description: 'The change would leave no active admin' }, () => ({
  message: 'This would leave no active admin',
}));

export const rolesNotGrantable = defineError(
  { code: 'FORBIDDEN', description: 'A caller may only assign roles whose permissions they hold themselves' },
  (missing: readonly string[]) => ({ message: `You can only assign roles whose permissions you hold; missing ${missing.join(', ')}` }),
);

export const selfSessionRevocation = defineError(
  { code: 'CONFLICT', description: 'Callers cannot end their own sessions this way (it would end the very call): use auth.logoutAll' },
  () => ({ message: 'You cannot revoke your own sessions here; use auth.logoutAll' }),
);
