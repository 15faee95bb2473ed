export { ACCEPTED as exampleAccepted } from '../modules/email/accepted.ts';

import type { TMe, TPreferences, TRole, TSettingsList, TTokens, TUser } from '@ums/contract';

// Example values the operation docs share, so that one account reads the same across the document.

export const exampleUserId = '0b6f2a4e-3c1d-4e5f-9a7b-8c9d0e1f2a3b';
export const exampleOtherUserId = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
export const exampleSessionId = '7e1f0c2d-5a4b-4c3d-9e8f-0a1b2c3d4e5f';

export const exampleUser: TUser = {
  id: exampleUserId,
  email: 'ada@example.com',
  fullName: 'Ada Lovelace',
  phoneNumber: '+442071234567',
  timezone: 'Europe/London',
  locale: 'en-GB',
  avatarUrl: 'https://images.example.com/ada.png',
  bio: 'Writes the first programs.',
  isActive: true,
  roles: ['user'],
  createdAt: '2026-01-05T09:30:00.000Z',
  updatedAt: '2026-02-11T16:02:44.120Z',
  lastLoginAt: '2026-02-11T16:00:01.000Z',
  deactivatedAt: null,
  emailVerifiedAt: '2026-01-05T09:41:12.000Z',
  mfaEnabled: false,
  version: 3,
};

export const exampleMe: TMe = { ...exampleUser, permissions: ['user:read', 'user:update'] };

export const exampleTokens: TTokens = {
  accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwYjZmMmE0ZSJ9.c2lnbmF0dXJl',
  refreshToken: 'rt_3q2-7wAxKx0n1mC1dP6bXg9RkVhJ4sYtZuLwEoFiGaQ',
  expiresIn: 900,
};

export const examplePassword = 'correct horse battery staple';

export const examplePreferences: TPreferences = {
  theme: 'dark',
  language: 'en',
  timezone: 'Europe/London',
  dateFormat: 'DD/MM/YYYY',
  notifications: { email: true, sms: false, push: true },
  version: 4,
};

export const exampleSettingsList: TSettingsList = {
  settings: [
    {
      key: 'theme',
      value: 'dark',
      settingType: 'string',
      category: 'ui_preferences',
      description: 'Colour theme of the interface',
      isPublic: false,
      validationRules: { allowed_values: ['light', 'dark', 'auto'] },
      isDefault: false,
    },
    {
      key: 'ui.page_size',
      value: 20,
      settingType: 'integer',
      category: 'interface',
      description: 'Rows per page in lists',
      isPublic: false,
      validationRules: { min: 10, max: 100 },
      isDefault: true,
    },
  ],
  version: 4,
};

export const exampleRole: TRole = {
  name: 'support',
  description: 'Helps users with their accounts',
  permissions: ['user:read', 'user:update', 'users:read'],
  builtIn: false,
  requireMfa: false,
};

/** What a cursor looks like: opaque, pass it back as it is. */
export const exampleCursor = 'eyJzIjoiY3JlYXRlZEF0IiwibyI6ImRlc2MifQ';
