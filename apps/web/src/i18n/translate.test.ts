import { describe, expect, it } from 'vitest';
import { MESSAGES_DE } from './messages-de.js';
import { MESSAGES_EN, type MessageKey } from './messages-en.js';
import { translate } from './translate.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translate', () => {
  it('fills placeholders in the chosen language', () => {
    expect(translate('en', 'toast.eventsLoaded', { count: 3, label: 'S01-001' })).toBe(
      'Events loaded: 3 for subject S01-001',
    );
    expect(translate('de', 'toast.eventsLoaded', { count: 3, label: 'S01-001' })).toBe(
      'Visiten geladen: 3 für Proband S01-001',
    );
  });

  it('leaves a placeholder without a value visible', () => {
    expect(translate('en', 'shell.loggedInAs')).toBe('Logged in as {name}');
  });

  it('gives every German text the same placeholders as its English original', () => {
    for (const key of Object.keys(MESSAGES_EN) as MessageKey[]) {
      expect(placeholders(MESSAGES_DE[key]), key).toEqual(placeholders(MESSAGES_EN[key]));
    }
  });

  it('keeps the labels users know from the documentation in English', () => {
    expect(MESSAGES_EN['menu.pacs']).toBe('PACS - medical imaging');
    expect(MESSAGES_EN['menu.subjectsEventsDicom']).toBe('Subjects/Events/DICOM');
    expect(MESSAGES_EN['upload.title']).toBe('Upload and Assign DICOM Study');
    expect(MESSAGES_EN['upload.commands']).toBe('Commands');
    expect(MESSAGES_EN['dicom.uploadNew']).toBe('Upload New');
    expect(MESSAGES_EN['uploader.connect']).toBe('Connect');
  });
});
