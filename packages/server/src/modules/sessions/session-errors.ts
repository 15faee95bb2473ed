import { defineError } from '../../define-error.ts';

export const sessionNotFound = defineError({ code: 'NOT_FOUND', description: 'The caller has no live session with this id' }, () => ({
  message: 'No such session',
}));
