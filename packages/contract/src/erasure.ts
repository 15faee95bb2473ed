import { z } from 'zod';
import { ZTimestamp } from './fields.ts';
import { ZUser } from './users.ts';

export const ZDeleteMeInput = z
  .strictObject({ currentPassword: z.string().min(1).max(128).describe('Your password, to prove it is you') })
  .meta({ id: 'DeleteMeInput' });
export type TDeleteMeInput = z.infer<typeof ZDeleteMeInput>;

export const ZAccountDeletion = z
  .object({
    deactivatedAt: ZTimestamp.describe('When the account was deactivated: at once, by this request'),
    erasureScheduledAt: ZTimestamp.describe('When its personal data will be erased (the grace period, `ERASURE_GRACE_DAYS`, from now)'),
  })
  .meta({ id: 'AccountDeletion' });
export type TAccountDeletion = z.infer<typeof ZAccountDeletion>;

/** `users.erase` answers the account as erased: a User whose email is the erased address, not a mailbox format. */
export const ZErasedUser = ZUser.extend({
  email: z.string().describe('`erased+<id>@invalid`: unique, on the reserved domain `invalid`, which no mail reaches'),
}).meta({ id: 'ErasedUser' });
