// @vitest-environment happy-dom
import { blobFileSource, type SelectionState, scanFiles } from '@courier/uploader';
import { act, createElement as h, useState } from 'react';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { generateRtSet } from '../../../../packages/uploader/test/rt-set.js';
import { mountPerTest } from '../components/test-mount.js';
import { I18nProvider } from '../i18n/i18n.js';
import { RtSeriesTree } from './rt-series-tree.js';
import { IDLE, type ScanState, scanReducer } from './scan-state.js';

// A real scan of the generated RT set (3 CT ← RTSTRUCT ← RTPLAN ← RTDOSE, plus an RTIMAGE).
let scanned: Extract<ScanState, { step: 'scanned' }>;
beforeAll(async () => {
  const { files } = generateRtSet({ sex: 'F' });
  const result = await scanFiles(files.map((f) => blobFileSource(new Blob([f.bytes as BlobPart]), f.path)));
  const state = scanReducer(scanReducer(IDLE, { type: 'drop', files: files.length }), { type: 'done', result });
  if (state.step !== 'scanned') throw new Error('scan did not finish');
  scanned = state;
});

const mount = mountPerTest();
let selections: SelectionState[];
beforeEach(() => {
  selections = [];
});

function Harness() {
  const [selection, setSelection] = useState(scanned.selection);
  const study = scanned.result.studies[scanned.studyIndex ?? 0];
  if (study === undefined || scanned.graph === null) return null;
  return h(RtSeriesTree, {
    series: study.series,
    graph: scanned.graph,
    selection,
    onSelect: (next: SelectionState) => {
      selections.push(next);
      setSelection(next);
    },
  });
}

const items = () => [...mount().host.querySelectorAll<HTMLElement>('[role="treeitem"]')];
const item = (modality: string) =>
  mount().host.querySelector<HTMLElement>(`[role="treeitem"][data-modality="${modality}"]`)!;
const focused = () => (document.activeElement as HTMLElement | null)?.getAttribute('data-modality') ?? null;
const press = (key: string) => mount().press(key);

describe('RtSeriesTree', () => {
  test('is a WAI-ARIA tree with one tab stop, levels and expanded state', () => {
    mount().render(h(I18nProvider, null, h(Harness)));
    expect(mount().host.querySelector('[role="tree"]')?.getAttribute('aria-multiselectable')).toBe('true');
    expect(items().map((i) => i.tabIndex)).toEqual([
      0,
      ...items()
        .slice(1)
        .map(() => -1),
    ]);
    expect(item('CT').getAttribute('aria-level')).toBe('1');
    expect(item('CT').getAttribute('aria-expanded')).toBe('true');
    expect(item('RTSTRUCT').getAttribute('aria-level')).toBe('2');
    expect(item('RTDOSE').getAttribute('aria-selected')).toBe('false');
  });

  test('arrows move the focus, Left collapses, Right expands, and Space selects with the implied series', () => {
    mount().render(h(I18nProvider, null, h(Harness)));
    act(() => item('CT').focus());
    press('ArrowDown');
    expect(focused()).toBe('RTSTRUCT');
    press('ArrowDown');
    press('ArrowDown');
    expect(focused()).toBe('RTDOSE');
    press(' ');
    expect(selections).toHaveLength(1);
    expect(item('RTDOSE').getAttribute('aria-selected')).toBe('true');
    expect(item('RTDOSE').getAttribute('data-status')).toBe('explicit');
    expect(item('CT').getAttribute('data-status')).toBe('implied');
    expect(item('RTPLAN').textContent).toContain('implied by a selected series');
    press('Home');
    expect(focused()).toBe('CT');
    press('ArrowLeft');
    expect(item('CT').getAttribute('aria-expanded')).toBe('false');
    expect(mount().host.querySelector('[data-modality="RTSTRUCT"]')).toBeNull();
    press('ArrowRight');
    expect(item('CT').getAttribute('aria-expanded')).toBe('true');
    press('ArrowRight');
    expect(focused()).toBe('RTSTRUCT');
  });
});
