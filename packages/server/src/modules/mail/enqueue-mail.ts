import { countBudgetedMessages, type DbHandle, enqueueOutboxMessage } from '@ums/db';
import type { ServiceDeps } from '../service-deps.ts';
import type { LinkTemplateName, MailParams, MailTemplateName } from './mail-templates.ts';

export const MAIL_KIND = 'mail';

/** The outbox payload of a mail: what it is rendered from at delivery. No secret: the link's token is sealed apart. */
export interface MailPayload {
  template: MailTemplateName;
  to: string;
  params: MailParams;
}

export type MailRequest =
  | { template: Exclude<MailTemplateName, LinkTemplateName>; to: string; params?: MailParams }
  | {
      template: LinkTemplateName;
      to: string;
      params?: MailParams;
      /** The link's secret: sealed under ENCRYPTION_KEY in the outbox, erased once the mail is sent. */
      token: string;
      /** Counts against the recipient's mail budget (verification and reset requests; not registration). */
      budgeted: boolean;
    };

/** Verification and reset mail a recipient may be sent in an hour; requests beyond it send nothing. */
export const MAIL_BUDGET_PER_HOUR = 5;

/** Writes the mail in the caller's transaction: it is sent after commit, or never if the transaction rolls back. */
export async function enqueueMail(deps: Pick<ServiceDeps, 'secrets'>, tx: DbHandle, mail: MailRequest): Promise<void> {
  const payload: MailPayload = { template: mail.template, to: mail.to, params: mail.params ?? {} };
  const link = 'token' in mail ? mail : null;
  await enqueueOutboxMessage(tx, {
    kind: MAIL_KIND,
    payload: { ...payload },
    sealedSecret: link ? deps.secrets.seal(link.token) : null,
    budgetKey: link?.budgeted ? budgetKeyOf(mail.to) : null,
  });
}

/**
 * Whether the recipient may be sent one more budgeted mail this hour. Exact when the caller holds the row lock of
 * the account the mail is about (every budgeted request takes it first).
 */
export async function hasMailBudget(tx: DbHandle, address: string): Promise<boolean> {
  const since = new Date(Date.now() - 3600_000);
  return (await countBudgetedMessages(tx, budgetKeyOf(address), since)) < MAIL_BUDGET_PER_HOUR;
}

const budgetKeyOf = (address: string) => address.toLowerCase();
