import { z } from 'zod';

// Field rules shared by every schema that carries them (API.md, "Users").

// C0/C1 control characters and DEL; `bio` alone allows newline and tab.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_NEWLINE_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export const ZUuid = z.uuid({ message: 'must be a UUID' });

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { message: 'must be at most 254 characters' })
  .pipe(z.email({ message: 'must be a valid email address' }))
  .meta({ format: 'email' });

export const ZPassword = z
  .string()
  .min(12, { message: 'must be at least 12 characters' })
  .max(128, { message: 'must be at most 128 characters' });

/** Trimmed one-line text of min..max characters, no control characters. */
export const plainText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, { message: `must be at least ${min} character${min === 1 ? '' : 's'}` })
    .max(max, { message: `must be at most ${max} characters` })
    .refine((value) => !CONTROL.test(value), { message: 'must not contain control characters' });

export const ZFullName = plainText(1, 100);

export const ZPhoneNumber = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{1,14}$/, { message: 'must be an E.164 number such as +14155550123' });

export const isIanaTimezone = (zone: string) => {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const ZTimezone = z.string().trim().max(64).refine(isIanaTimezone, { message: 'must be an IANA time zone such as Europe/Paris' });

export const isBcp47Tag = (tag: string) => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

export const ZLocale = z.string().trim().max(35).refine(isBcp47Tag, { message: 'must be a BCP 47 language tag such as en-GB' });

export const ZAvatarUrl = z
  .string()
  .trim()
  .max(2048, { message: 'must be at most 2048 characters' })
  .pipe(z.url({ protocol: /^https$/, message: 'must be an https URL' }));

export const ZBio = z
  .string()
  .trim()
  .max(500, { message: 'must be at most 500 characters' })
  .refine((value) => !CONTROL_EXCEPT_NEWLINE_TAB.test(value), { message: 'must not contain control characters' });

/** Optimistic concurrency: the version the caller last read. */
// Bounded by the database's integer column: a larger number can never match and must not reach the query.
export const ZExpectedVersion = z.number().int().min(1).max(2_147_483_647);

/** Query-string friendly boolean: tRPC callers send `true`, REST callers `?isActive=true`. */
// Documented as the boolean it is: a query string carries `true`/`false`, which is what REST clients send.
export const ZBooleanParam = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true')
  .meta({ override: { type: 'boolean', anyOf: undefined } });

/** ISO 8601 instant as sent on the wire. */
export const ZTimestamp = z.iso.datetime({ offset: true });

export const ZPageLimit = (fallback: number) => z.coerce.number().int().min(1).max(100).default(fallback);
export const ZCursor = z.string().max(512);
