import type { ClaimedOutboxMessage } from '@ums/db';
import type { ServerConfig } from '../../config.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { OutboxHandler } from '../outbox/outbox-dispatcher.ts';
import type { MailPayload } from './enqueue-mail.ts';
import { isMailTemplateName, type LinkTemplateName, linkPathOf, renderMail } from './mail-templates.ts';
import type { MailTransport } from './mail-transport.ts';

/** The outbox handler of kind `mail`: renders the message from its payload, opens its link's token, sends it. */
export function createMailDelivery({
  config,
  secrets,
  transport,
}: {
  config: Pick<ServerConfig, 'publicUrl' | 'mail'>;
  secrets: SecretBox;
  transport: MailTransport;
}): OutboxHandler {
  const messageIdDomain = new URL(config.publicUrl).hostname;
  return {
    retryScheduleMs: config.mail.retryScheduleMs,
    async deliver(message: ClaimedOutboxMessage) {
      const payload = message.payload as MailPayload;
      if (!isMailTemplateName(payload.template)) throw new Error(`unknown mail template ${String(payload.template)}`);
      const link = message.sealedSecret
        ? `${config.publicUrl}${linkPathOf(payload.template as LinkTemplateName)}?token=${encodeURIComponent(secrets.open(message.sealedSecret))}`
        : null;
      const rendered = renderMail(payload.template, { product: config.mail.productName, params: payload.params, link });
      await transport.send({ messageId: `<${message.id}@${messageIdDomain}>`, from: config.mail.from, to: payload.to, ...rendered });
    },
  };
}
