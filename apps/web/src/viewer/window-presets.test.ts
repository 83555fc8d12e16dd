import { describe, expect, it } from 'vitest';
import { voiRange, WINDOW_PRESETS, widthLevel } from './window-presets.js';

describe('window presets', () => {
  it('offer default, soft tissue, lung, bone and brain in key order 1–5', () => {
    expect(WINDOW_PRESETS.map((p) => p.id)).toEqual(['default', 'softTissue', 'lung', 'bone', 'brain']);
    expect(WINDOW_PRESETS[0]?.width).toBeUndefined();
  });

  it('convert width/level to a VOI range and back', () => {
    expect(voiRange(400, 40)).toEqual({ lower: -160, upper: 240 });
    expect(voiRange(1500, -600)).toEqual({ lower: -1350, upper: 150 });
    for (const p of WINDOW_PRESETS.slice(1)) {
      expect(widthLevel(voiRange(p.width ?? 0, p.level ?? 0))).toEqual({ width: p.width, level: p.level });
    }
  });
});
