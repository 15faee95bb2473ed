import { defineError } from '../../define-error.ts';

export const staleSettingsVersion = defineError(
  { code: 'CONFLICT', description: '`expectedVersion` is not the current settings version: reload (the body has `data.currentVersion`)' },
  (currentVersion: number) => ({
    message: `The settings were changed meanwhile (now at version ${currentVersion}); reload and retry`,
    details: { data: { currentVersion } },
  }),
);
