import type { TAccepted } from '@ums/contract';

/** The one answer to a mail request by address, whatever the address turned out to be. */
export const ACCEPTED: TAccepted = { message: 'If this address belongs to an account that can use it, a link is on its way.' };
