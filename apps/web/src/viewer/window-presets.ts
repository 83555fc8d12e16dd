import type { MessageKey } from '../i18n/messages-en.js';

/** A named CT window in Hounsfield units (width, level). */
export interface WindowPreset {
  readonly id: 'default' | 'softTissue' | 'lung' | 'bone' | 'brain';
  readonly label: MessageKey;
  /** Undefined for "default": the image's own window (Window Center/Width or its value range). */
  readonly width?: number;
  readonly level?: number;
}

/**
 * The presets offered (keys 1–5), common radiology values for CT.
 *
 * @example
 * WINDOW_PRESETS.find((p) => p.id === 'lung'); // { width: 1500, level: -600, … }
 */
export const WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: 'default', label: 'viewer.preset.default' },
  { id: 'softTissue', label: 'viewer.preset.softTissue', width: 400, level: 40 },
  { id: 'lung', label: 'viewer.preset.lung', width: 1500, level: -600 },
  { id: 'bone', label: 'viewer.preset.bone', width: 1800, level: 400 },
  { id: 'brain', label: 'viewer.preset.brain', width: 80, level: 40 },
];

/**
 * The VOI range (lowest and highest value shown) of a width and level.
 *
 * @example
 * voiRange(400, 40); // { lower: -160, upper: 240 }
 */
export function voiRange(width: number, level: number): { lower: number; upper: number } {
  return { lower: level - width / 2, upper: level + width / 2 };
}

/**
 * Width and level of a VOI range, rounded for display.
 *
 * @example
 * widthLevel({ lower: -160, upper: 240 }); // { width: 400, level: 40 }
 */
export function widthLevel(range: { lower: number; upper: number }): { width: number; level: number } {
  return { width: Math.round(range.upper - range.lower), level: Math.round((range.upper + range.lower) / 2) };
}
