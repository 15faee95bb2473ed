import { z } from 'zod';

const ZCount = z.number().int().min(0);

export const ZUserTotals = z
  .object({
    total: ZCount.describe('Every account, erased ones included (`active` + `deactivated`)'),
    active: ZCount.describe('Accounts that can sign in'),
    deactivated: ZCount.describe('Deactivated accounts, erased ones included'),
    verified: ZCount.describe('Accounts whose current address is proven (`emailVerifiedAt` set)'),
    mfa: ZCount.describe('Accounts with a confirmed TOTP factor or at least one passkey (`mfaEnabled`)'),
  })
  .meta({ id: 'UserTotals' });

export const ZDailySignIns = z
  .object({
    date: z.string().meta({ format: 'date', description: 'The UTC day, `YYYY-MM-DD`' }),
    signUps: ZCount.describe('Accounts registered that day (`auth.register`)'),
    signIns: ZCount.describe('Completed sign-ins that day (`auth.login`: password, with a second factor, or passkey)'),
    failedSignIns: ZCount.describe('Refused sign-ins that day (`auth.login_failed`, wrong second factors included)'),
  })
  .meta({ id: 'DailySignIns' });

export const ZStatsOverview = z
  .object({
    users: ZUserTotals,
    daily: z.array(ZDailySignIns).describe('The last 30 UTC days, oldest first, today last; every day present'),
  })
  .meta({ id: 'StatsOverview' });
export type TStatsOverview = z.infer<typeof ZStatsOverview>;
