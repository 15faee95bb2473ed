import { defineError } from '../../define-error.ts';

export const selfErasure = defineError(
  { code: 'CONFLICT', description: 'Callers cannot erase their own account here: `me.delete` does that, after its grace period' },
  () => ({ message: 'You cannot erase your own account here; delete it from your account page' }),
);

export const erasedAccount = defineError(
  { code: 'CONFLICT', description: 'The account has been erased: it stays deactivated for good' },
  () => ({ message: 'This account has been erased and cannot be reactivated' }),
);
