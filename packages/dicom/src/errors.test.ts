import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DICOM_ERROR_CODES, DicomError } from './errors.js';
import { DICOM_WARNING_CODES } from './warnings.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** "### CODE" headings of one "## Section", with the "Text: `...`" line under each. */
function documented(section: string): Map<string, string | undefined> {
  const body = doc.split(/^## /m).find((s) => s.startsWith(section)) ?? '';
  const out = new Map<string, string | undefined>();
  for (const part of body.split(/^### /m).slice(1)) {
    const [code = '', ...rest] = part.split('\n');
    out.set(code.trim(), /^Text: `(.*)`$/m.exec(rest.join('\n'))?.[1]);
  }
  return out;
}

describe('the error catalogue', () => {
  it('documents every error code with its text, and documents no code that does not exist', () => {
    const docs = documented('Errors');
    expect([...docs.keys()].sort()).toEqual(Object.keys(DICOM_ERROR_CODES).sort());
    for (const [code, text] of Object.entries(DICOM_ERROR_CODES)) expect(docs.get(code), code).toBe(text);
  });

  it('documents every warning code with its text, and documents no code that does not exist', () => {
    const docs = documented('Warnings');
    expect([...docs.keys()].sort()).toEqual(Object.keys(DICOM_WARNING_CODES).sort());
    for (const [code, text] of Object.entries(DICOM_WARNING_CODES)) expect(docs.get(code), code).toBe(text);
  });

  it('uses stable upper-case codes with the package prefix', () => {
    for (const code of [...Object.keys(DICOM_ERROR_CODES), ...Object.keys(DICOM_WARNING_CODES)]) {
      expect(code).toMatch(/^DICOM_[A-Z0-9_]+$/);
    }
  });

  it('builds messages from the catalogue text and keeps offset and cause', () => {
    const cause = new Error('inner');
    const e = new DicomError('DICOM_TRUNCATED', 'at byte 10 in (0010,0010)', { offset: 10, cause });
    expect(e.message).toBe('file is truncated: at byte 10 in (0010,0010)');
    expect(e).toMatchObject({ name: 'DicomError', code: 'DICOM_TRUNCATED', offset: 10, cause });
    expect(e).toBeInstanceOf(Error);
  });
});
