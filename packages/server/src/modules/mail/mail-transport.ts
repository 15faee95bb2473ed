import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';

/** One message as handed to the transport: already rendered, with the headers mail providers expect. */
export interface OutgoingMail {
  /** Stable across retries (derived from the outbox row), so a receiver can tell a repeat from a new message. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

// Each attempt ends well inside the outbox lease, so a slow server cannot make two instances send one message.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

// Security mail only: it is not bulk, so no List-Unsubscribe; Auto-Submitted keeps auto-responders from replying.
const headersOf = (mail: OutgoingMail) => ({
  messageId: mail.messageId,
  date: new Date(),
  headers: { 'Auto-Submitted': 'auto-generated' },
  from: mail.from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
});

/** SMTP when `smtpUrl` is set; otherwise each message is an RFC 5322 .eml file under `DATA_DIR/mail/`. */
export function createMailTransport({
  smtpUrl,
  dataDir,
  log,
}: {
  smtpUrl: string | null;
  dataDir: string;
  log: FastifyBaseLogger;
}): MailTransport {
  if (smtpUrl) {
    const smtp = createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
    return {
      async send(mail) {
        await smtp.sendMail(headersOf(mail));
      },
      close: () => smtp.close(),
    };
  }

  const folder = join(dataDir, 'mail');
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const { message } = await composer.sendMail(headersOf(mail));
      await mkdir(folder, { recursive: true });
      const file = join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/^<|@.*$/g, '')}.eml`);
      // Written aside and renamed into place: a reader of the folder never sees a half-written .eml.
      await writeFile(`${file}.part`, message as Buffer, { mode: 0o600 });
      await rename(`${file}.part`, file);
      // The file name only: the message holds a link whose token must not reach a log.
      log.info({ file }, 'mail written to a file (no SMTP_URL set)');
    },
    close: () => composer.close(),
  };
}
