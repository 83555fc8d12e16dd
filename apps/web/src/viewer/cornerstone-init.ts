import { init as initCore } from '@cornerstonejs/core';
import { init as initDicomImageLoader } from '@cornerstonejs/dicom-image-loader';
import { addTool, init as initTools, PanTool, StackScrollTool, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';

let initialised = false;

/**
 * Initialises Cornerstone3D once per page: the core (WebGL when the browser has it, else its CPU
 * path), the DICOM image loader (wadouri scheme; decoding in one module worker, the codecs' WASM
 * loaded only when a compressed image needs them) and the tools the viewer binds.
 *
 * @example
 * initCornerstone();
 * const engine = new RenderingEngine('viewer');
 */
export function initCornerstone(): void {
  if (initialised) return;
  initCore();
  // One decode worker: the viewer shows one stack, and the machine running the Portal's browser
  // tests has two cores shared with everything else.
  initDicomImageLoader({ maxWebWorkers: 1 });
  initTools();
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
  initialised = true;
}
