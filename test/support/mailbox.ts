import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.ts';

/** One message as it arrived over SMTP, parsed. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: ParsedMail['headers'];
  raw: string;
}

export interface Mailbox {
  /** `smtp://127.0.0.1:PORT`, for SMTP_URL. */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** The messages to one address (lower-cased), in arrival order. */
  to(address: string): ReceivedMail[];
  /** Waits until `count` messages to `address` have arrived (default 1) and returns them all. */
  waitFor(address: string, options?: { count?: number; timeoutMs?: number }): Promise<ReceivedMail[]>;
  /** Stops listening (an SMTP outage); `start` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * From now on, a message's DATA is read but never answered (a sender caught mid-send), and not kept; `stalled`
   * counts them. `release` answers the stalled ones with a refusal and accepts mail again.
   */
  hold(): void;
  release(): void;
  stalled(): number;
}

/** A real SMTP server on loopback that keeps every message it accepts, parsed with mailparser. */
export async function startMailbox({ port: fixedPort }: { port?: number } = {}): Promise<Mailbox> {
  const port = fixedPort ?? (await freePort());
  const messages: ReceivedMail[] = [];
  let server: SMTPServer | null = null;
  let holding = false;
  const stalled: ((error?: Error) => void)[] = [];

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onData(stream, session, callback) {
          if (holding) {
            stream.resume();
            stream.on('end', () => stalled.push(callback));
            return;
          }
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', async () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            const parsed = await simpleParser(raw);
            for (const recipient of session.envelope.rcptTo) {
              messages.push({
                to: recipient.address.toLowerCase(),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId ?? '',
                headers: parsed.headers,
                raw,
              });
            }
            callback();
          });
        },
      });
      smtp.once('error', reject);
      smtp.listen(port, '127.0.0.1', () => {
        server = smtp;
        resolve();
      });
    });

  await listen();
  const to = (address: string) => messages.filter((message) => message.to === address.toLowerCase());
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    to,
    async waitFor(address, { count = 1, timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (to(address).length < count) {
        if (Date.now() > deadline) throw new Error(`${to(address).length} of ${count} messages to ${address} arrived in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return to(address);
    },
    async stop() {
      const running = server;
      server = null;
      if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
    },
    start: listen,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const callback of stalled.splice(0)) callback(Object.assign(new Error('refused'), { responseCode: 451 }));
    },
    stalled: () => stalled.length,
  };
}

/** The `token` query parameter of the first link in a mail's text that points at `path`. */
export function linkToken(mail: ReceivedMail, path: string): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((url) => new URL(url).pathname === path);
  const token = link ? new URL(link).searchParams.get('token') : null;
  if (!token) throw new Error(`no ${path} link in the mail "${mail.subject}"`);
  return token;
}
