import { describe, expect, it } from 'vitest';
import type { StudyTable } from '../database/schema.js';
import { can, type StudyAccess, siteScope } from './study-access.js';

const study = { id: 's', status: 'active' } as StudyTable;
const access = (...grants: StudyAccess['grants']): StudyAccess => ({ study, grants });

describe('can', () => {
  it('limits a site uploader to its own site', () => {
    const uploader = access({ role: 'site_uploader', siteId: 'A' });
    expect(can(uploader, 'view', 'A')).toBe(true);
    expect(can(uploader, 'view', 'B')).toBe(false);
    expect(can(uploader, 'upload', 'A')).toBe(true);
    expect(can(uploader, 'view')).toBe(false);
    expect(can(uploader, 'setUp')).toBe(false);
  });

  it('lets a monitor read every site and change nothing', () => {
    const monitor = access({ role: 'monitor', siteId: null });
    expect(can(monitor, 'view', 'B')).toBe(true);
    expect(can(monitor, 'schedule', 'B')).toBe(false);
    expect(can(monitor, 'upload', 'B')).toBe(false);
  });

  it('gives study managers set-up but not administration', () => {
    const manager = access({ role: 'study_manager', siteId: null });
    expect(can(manager, 'setUp')).toBe(true);
    expect(can(manager, 'administer')).toBe(false);
  });

  it('combines grants: the strongest grant for the site wins', () => {
    const both = access({ role: 'monitor', siteId: null }, { role: 'site_uploader', siteId: 'A' });
    expect(can(both, 'upload', 'A')).toBe(true);
    expect(can(both, 'upload', 'B')).toBe(false);
    expect(siteScope(both, 'view')).toBe('all');
    expect(siteScope(both, 'upload')).toEqual(['A']);
  });
});
