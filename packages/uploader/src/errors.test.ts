import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UPLOADER_ERROR_CODES, UploaderError } from './errors.js';
import { IGNORED_REASONS } from './ignored-reasons.js';
import { SANITY_CHECKS } from './sanity-checks.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

/** "### CODE" headings of one "## Section", with the text under each heading. */
function documented(section: string): Map<string, string> {
  const body = doc.split(/^## /m).find((s) => s.startsWith(section)) ?? '';
  const out = new Map<string, string>();
  for (const part of body.split(/^### /m).slice(1)) {
    const [code = '', ...rest] = part.split('\n');
    out.set(code.trim(), rest.join('\n'));
  }
  return out;
}

describe('the catalogues of docs/errors.md', () => {
  it('documents every error code with its text, and no code that does not exist', () => {
    const docs = documented('Errors');
    expect([...docs.keys()].sort()).toEqual(Object.keys(UPLOADER_ERROR_CODES).sort());
    for (const [code, text] of Object.entries(UPLOADER_ERROR_CODES))
      expect(docs.get(code), code).toContain(`Text: \`${text}\``);
  });

  it('documents every ignored-file reason with its user-facing sentence', () => {
    const docs = documented('Ignored files');
    expect([...docs.keys()].sort()).toEqual(Object.keys(IGNORED_REASONS).sort());
    for (const [code, text] of Object.entries(IGNORED_REASONS))
      expect(docs.get(code), code).toContain(`Text: \`${text}\``);
  });

  it('documents every sanity check with its severity and category', () => {
    const docs = documented('Sanity checks');
    expect([...docs.keys()].sort()).toEqual(Object.keys(SANITY_CHECKS).sort());
    for (const [code, { severity, category }] of Object.entries(SANITY_CHECKS)) {
      expect(docs.get(code), code).toContain(`Severity: \`${severity}\`, category: \`${category}\``);
    }
  });

  it('uses stable upper-case codes with their prefixes', () => {
    for (const code of Object.keys(UPLOADER_ERROR_CODES)) expect(code).toMatch(/^UPLOADER_[A-Z_]+$/);
    for (const code of Object.keys(IGNORED_REASONS)) expect(code).toMatch(/^IGNORED_[A-Z_]+$/);
    for (const code of Object.keys(SANITY_CHECKS)) expect(code).toMatch(/^SANITY_[A-Z_]+$/);
  });

  it('builds messages from the catalogue text and keeps the cause', () => {
    const cause = new Error('inner');
    const e = new UploaderError('UPLOADER_SCAN_ABORTED', 'cancelled by the caller', { cause });
    expect(e.message).toBe('the scan was cancelled: cancelled by the caller');
    expect(e.cause).toBe(cause);
    expect(e.code).toBe('UPLOADER_SCAN_ABORTED');
  });
});
