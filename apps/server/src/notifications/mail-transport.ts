import nodemailer from 'nodemailer';

/** One message for {@link MailTransport.send}. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox row, so a receiver can spot the rare duplicate after a crash mid-send. */
  messageId: string;
}

/**
 * The seam between the outbox and SMTP: nodemailer in the Portal, anything in a unit test.
 *
 * @example
 * await transport.send({ from, to, subject, text, html, messageId: '<id@courier>' });
 */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * A nodemailer SMTP transport from a URL (`smtp://host:port`, `smtps://user:pass@host:465`; query
 * options as nodemailer reads them). Timeouts are short so one dead server cannot stall the sender
 * loop for minutes (nodemailer's defaults are 2 and 10 minutes).
 *
 * @example
 * const transport = smtpTransport('smtp://127.0.0.1:2525');
 */
export function smtpTransport(url: string): MailTransport {
  // Options in the URL win; these apply where it sets none.
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
    },
    close() {
      transporter.close();
    },
  };
}
