import { AppError } from '../../app-error.ts';

export const userNotFound = () => new AppError('NOT_FOUND', 'No such user');

export const emailTaken = (cause?: unknown) => new AppError('CONFLICT', 'This email address is already in use', { cause });

export const versionConflict = (currentVersion: number) =>
  new AppError('CONFLICT', `The user was changed meanwhile (now at version ${currentVersion}); reload and retry`, {
    data: { currentVersion },
  });
