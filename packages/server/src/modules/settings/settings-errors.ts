import { AppError } from '../../app-error.ts';

export const staleSettingsVersion = (currentVersion: number) =>
  new AppError('CONFLICT', `The settings were changed meanwhile (now at version ${currentVersion}); reload and retry`, {
    data: { currentVersion },
  });
