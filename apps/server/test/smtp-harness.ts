import { type AddressInfo, createServer } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the loopback SMTP server received it. */
export interface ReceivedMail {
  /** RCPT TO of the envelope. */
  to: string[];
  parsed: ParsedMail;
}

/** A real SMTP server (the npm `smtp-server` package) on 127.0.0.1 that keeps what it receives. */
export interface TestSmtpServer {
  readonly port: number;
  readonly received: ReceivedMail[];
  /** Starts listening on `port` (again, after `stop`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the server starts on it later, as a mail server that comes back). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * An SMTP server for the notification tests: no TLS, no authentication, every message parsed
 * (MIME, quoted-printable, HTML) with mailparser before the server answers 250, so a sender that
 * got its 250 finds the mail in `received`.
 *
 * @example
 * const smtp = await testSmtpServer(await freePort());
 * await smtp.start();
 */
export async function testSmtpServer(port: number): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer | null = null;
  return {
    port,
    received,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
          simpleParser(stream)
            .then((parsed) => {
              received.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed });
              callback();
            })
            .catch((error: Error) => callback(error));
        },
      });
      const listening = server;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      const closing = server;
      server = null;
      if (closing !== null) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}
