import type { NotificationKind } from '@courier/api';

/**
 * Everything a notification says. Built only from Portal data that is already de-identified or
 * organisational: the subject appears by the Portal's pseudonym, never by a name, a hospital
 * patient ID or a birth date (the Portal stores no patient name; birth dates never reach this type).
 */
export interface UploadMailFacts {
  kind: NotificationKind;
  studyIdentifier: string;
  studyName: string;
  siteCode: string;
  siteName: string;
  pseudonym: string;
  eventName: string;
  /** 1 for the first occurrence; shown for repeating events. */
  occurrence: number;
  repeating: boolean;
  slotLabel: string;
  /** Null for a failed upload whose manifest never arrived. */
  studyInstanceUid: string | null;
  /** The value a overwrite replaced. */
  previousStudyInstanceUid: string | null;
  seriesCount: number;
  instanceCount: number;
  /** For failures: instances the manifest listed (instanceCount = how many arrived). */
  expectedInstances: number | null;
  uploaderName: string;
  uploaderUsername: string;
  /** ISO 8601 instant of the event. */
  at: string;
  /** The Portal page of the subject's event (DICOM tab). */
  link: string;
}

/** A rendered mail. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const HEADLINES: Record<NotificationKind, string> = {
  'slot.assigned': 'A DICOM study was uploaded and assigned to its slot.',
  'slot.overwritten': 'A DICOM study was uploaded and replaced the study a slot held before.',
  'upload.failed': 'An upload ended without being committed: nothing was assigned to the slot.',
};

const VERBS: Record<NotificationKind, string> = {
  'slot.assigned': 'assigned',
  'slot.overwritten': 'replaced',
  'upload.failed': 'upload failed',
};

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** Header fields must not carry line breaks (a study name cannot inject a header). */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function rows(facts: UploadMailFacts): [string, string][] {
  const event = facts.repeating ? `${facts.eventName} #${facts.occurrence}` : facts.eventName;
  const counts =
    facts.expectedInstances === null
      ? `${facts.seriesCount} series, ${facts.instanceCount} instances`
      : `${facts.instanceCount} of ${facts.expectedInstances} instances received (${facts.seriesCount} series)`;
  const list: [string, string][] = [
    ['Study', `${facts.studyIdentifier} — ${facts.studyName}`],
    ['Site', `${facts.siteCode} — ${facts.siteName}`],
    ['Subject (pseudonym)', facts.pseudonym],
    ['Event', event],
    ['Slot', facts.slotLabel],
    ['Study Instance UID', facts.studyInstanceUid ?? '(no manifest registered)'],
  ];
  if (facts.previousStudyInstanceUid !== null)
    list.push(['Replaced Study Instance UID', facts.previousStudyInstanceUid]);
  list.push(
    ['Series / instances', counts],
    ['Uploaded by', `${facts.uploaderName} (${facts.uploaderUsername})`],
    ['When', `${facts.at.slice(0, 16).replace('T', ' ')} UTC`],
  );
  return list;
}

const FOOTER =
  'Courier knows subjects by their pseudonym only: this message holds no patient name, patient ID or birth date.';

/**
 * Renders the subject line, plain text and HTML of a notification. Every value is HTML-escaped
 * and the subject line is kept on one line.
 *
 * @example
 * const { subject, text, html } = renderUploadMail(facts);
 */
export function renderUploadMail(facts: UploadMailFacts): MailContent {
  const subject = oneLine(
    `[Courier ${facts.studyIdentifier}] ${facts.slotLabel} ${VERBS[facts.kind]} — ${facts.pseudonym}, ${facts.eventName} (site ${facts.siteCode})`,
  );
  const table = rows(facts);
  const width = Math.max(...table.map(([label]) => label.length)) + 2;
  const text = [
    HEADLINES[facts.kind],
    '',
    ...table.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    `Open in the Portal: ${facts.link}`,
    '',
    FOOTER,
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif">',
    `<p>${escapeHtml(HEADLINES[facts.kind])}</p>`,
    '<table cellpadding="4" style="border-collapse: collapse">',
    ...table.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    `<p><a href="${escapeHtml(facts.link)}">Open in the Portal</a></p>`,
    `<p style="color: #666; font-size: smaller">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
