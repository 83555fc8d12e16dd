import { describe, expect, it } from 'vitest';
import { renderUploadMail, type UploadMailFacts } from './mail-content.js';

const facts: UploadMailFacts = {
  kind: 'slot.assigned',
  studyIdentifier: 'RT-01',
  studyName: 'Dose <escalation> & "friends"',
  siteCode: 'S01',
  siteName: 'Site one',
  pseudonym: 'PX4K2M9QH7',
  eventName: 'Follow-up',
  occurrence: 2,
  repeating: true,
  slotLabel: 'Follow-up MR\r\nBcc: attacker@example.org',
  studyInstanceUid: '2.25.1234',
  previousStudyInstanceUid: null,
  seriesCount: 2,
  instanceCount: 180,
  expectedInstances: null,
  uploaderName: 'Ada Uploader',
  uploaderUsername: 'ada',
  at: '2026-11-25T14:03:09.000Z',
  link: 'https://courier.example.org/pacs/subjects?tab=dicom&subject=s&event=e',
};

describe('renderUploadMail', () => {
  it('keeps the subject line on one line so a label cannot add a header', () => {
    const { subject } = renderUploadMail(facts);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toBe(
      '[Courier RT-01] Follow-up MR Bcc: attacker@example.org assigned — PX4K2M9QH7, Follow-up (site S01)',
    );
  });

  it('escapes every value in the HTML body and shows the occurrence of a repeating event', () => {
    const { html, text } = renderUploadMail(facts);
    expect(html).toContain('Dose &lt;escalation&gt; &amp; &quot;friends&quot;');
    expect(html).not.toContain('<escalation>');
    expect(html).toContain('href="https://courier.example.org/pacs/subjects?tab=dicom&amp;subject=s&amp;event=e"');
    expect(text).toContain('Follow-up #2');
    expect(text).toContain('2 series, 180 instances');
    expect(text).toContain('2026-11-25 14:03 UTC');
  });

  it('says how many instances of the manifest arrived for a failed upload', () => {
    const { text, subject } = renderUploadMail({
      ...facts,
      kind: 'upload.failed',
      instanceCount: 40,
      expectedInstances: 180,
    });
    expect(subject).toContain('upload failed');
    expect(text).toContain('40 of 180 instances received (2 series)');
    expect(text).toMatch(/^An upload ended without being committed/);
  });
});
