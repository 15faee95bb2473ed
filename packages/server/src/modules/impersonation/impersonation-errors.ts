import { IMPERSONATION_REASONS } from '@ums/contract';
import { defineError } from '../../define-error.ts';

/** Thrown by the procedure builders (trpc/procedures.ts) for a credential procedure called from an impersonation session. */
export const impersonationNotAllowed = defineError(
  {
    code: 'FORBIDDEN',
    reason: IMPERSONATION_REASONS.notAllowed,
    description:
      "Called from an impersonation session: step-up, credential, MFA, passkey and email changes and impersonating further stay the user's own (`reason: IMPERSONATION_NOT_ALLOWED`)",
  },
  () => ({ message: "Not while impersonating: this stays the user's own to do" }),
);

export const selfImpersonation = defineError({ code: 'FORBIDDEN', description: 'Callers cannot impersonate themselves' }, () => ({
  message: 'You cannot impersonate yourself',
}));

export const impersonationOutranks = defineError(
  {
    code: 'FORBIDDEN',
    description: "The target holds a permission the caller lacks: impersonating them would widen the caller's rights",
  },
  (missing: readonly string[]) => ({ message: `This user holds permissions you do not: ${missing.join(', ')}` }),
);

export const impersonationOfInactiveUser = defineError(
  { code: 'CONFLICT', description: 'The target is deactivated: it has no sessions to act in (reactivate it first)' },
  () => ({ message: 'This user is deactivated' }),
);
