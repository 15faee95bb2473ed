import { z } from 'zod';
import { ZAuditEvent } from './audit.ts';
import { ZTimestamp } from './fields.ts';
import { ZPasskey } from './passkeys.ts';
import { ZRole } from './rbac.ts';
import { ZPreferences, ZSetting } from './settings.ts';
import { ZSession, ZUser } from './users.ts';

/**
 * Everything the service keeps about one person, as the API shows each part (me.export, users.export). Each part
 * is the schema its own procedure answers with, so whatever that schema leaves out (secrets, key material) is left
 * out here too: the server parses every part through these before writing it.
 */
export const ZUserExport = z
  .object({
    exportedAt: ZTimestamp.describe('When the export started'),
    user: ZUser.describe('The profile, as `GET /users/{id}` shows it'),
    preferences: ZPreferences.describe('As `GET /users/me/preferences` shows them'),
    settings: z.array(ZSetting).describe('Every catalog setting with its value or default, as `GET /users/me/settings` lists them'),
    roles: z.array(ZRole).describe('The roles the user holds, with the permissions they grant'),
    sessions: z.array(ZSession).describe('Live sessions, as `GET /users/me/sessions` lists them (`current`: the exporting session)'),
    passkeys: z.array(ZPasskey).describe('Registered passkeys, as `GET /users/me/passkeys` lists them (no key material)'),
    auditEvents: z
      .array(ZAuditEvent)
      .describe('Every audit event the user made or that concerns them (actor or target), newest first, as `GET /audit-events` shows them'),
  })
  .meta({ id: 'UserExport' });
export type TUserExport = z.infer<typeof ZUserExport>;
