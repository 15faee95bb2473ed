export * from './audit.ts';
export * from './auth.ts';
export * from './fields.ts';
export * from './issues.ts';
export * from './permissions.ts';
export * from './rbac.ts';
export * from './settings.ts';
export * from './users.ts';
