import { Enums, metaData, RenderingEngine, type Types } from '@cornerstonejs/core';
import {
  PanTool,
  StackScrollTool,
  Enums as ToolEnums,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { type ReactNode, useEffect, useRef } from 'react';
import { initCornerstone } from './cornerstone-init.js';
import type { ImagePlane, Vec3 } from './image-plane.js';
import { drawOverlay, type OverlayContent, type OverlayResult } from './overlay.js';
import { voiRange, type WindowPreset, widthLevel } from './window-presets.js';

/** What the stack view reports to the page. */
export interface StackStatus {
  readonly index: number;
  readonly count: number;
  readonly window?: { readonly width: number; readonly level: number };
  readonly overlay: OverlayResult;
}

let nextId = 1;

/**
 * A Cornerstone3D stack viewport of the given images (wadouri image ids) with the usual bindings:
 * left drag window/level, middle drag pan, right drag zoom, wheel and ↑/↓ (PageUp/PageDown,
 * Home/End) scroll, keys 1–5 the window presets; and an overlay canvas with the dose wash and
 * the contours of the slice shown. Reports slice, window and what the overlay drew.
 *
 * @example
 * <StackView imageIds={ids} overlay={{ structures }} preset={preset} onStatus={setStatus} onPreset={setPreset} onError={fail} />
 */
export function StackView(props: {
  imageIds: readonly string[];
  overlay: OverlayContent;
  preset: WindowPreset | null;
  presets: readonly WindowPreset[];
  onPreset(preset: WindowPreset): void;
  onStatus(status: StackStatus): void;
  onError(error: unknown): void;
  /** Accessible name of the viewport (it takes keys: role "application"). */
  label: string;
}): ReactNode {
  const element = useRef<HTMLDivElement>(null);
  const overlayCanvas = useRef<HTMLCanvasElement>(null);
  const viewport = useRef<Types.IStackViewport | null>(null);
  const content = useRef(props.overlay);
  const callbacks = useRef(props);
  callbacks.current = props;
  const redraw = useRef<() => void>(() => undefined);

  useEffect(() => {
    const host = element.current;
    if (host === null || props.imageIds.length === 0) return;
    initCornerstone();
    const id = nextId++;
    const engineId = `courier-viewer-${id}`;
    const viewportId = `courier-stack-${id}`;
    const toolGroupId = `courier-tools-${id}`;
    const engine = new RenderingEngine(engineId);
    engine.enableElement({
      viewportId,
      type: Enums.ViewportType.STACK,
      element: host,
      defaultOptions: { background: [0, 0, 0] },
    });
    const stack = engine.getViewport(viewportId) as Types.IStackViewport;
    viewport.current = stack;
    const tools = ToolGroupManager.createToolGroup(toolGroupId);
    if (tools !== undefined) {
      for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) tools.addTool(tool.toolName);
      const { MouseBindings } = ToolEnums;
      tools.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
      tools.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
      tools.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
      tools.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
      tools.addViewport(viewportId, engineId);
    }

    const doseCache = new Map<string, HTMLCanvasElement>();
    let overlay: OverlayResult = { contours: 0, dose: false };
    let window: StackStatus['window'];
    const report = () =>
      callbacks.current.onStatus({
        index: stack.getCurrentImageIdIndex(),
        count: stack.getImageIds().length,
        ...(window ? { window } : {}),
        overlay,
      });
    const draw = () => {
      const canvas = overlayCanvas.current;
      const context = canvas?.getContext('2d');
      if (canvas === null || context === null || context === undefined) return;
      const scale = globalThis.devicePixelRatio || 1;
      const width = Math.round(host.clientWidth * scale);
      const height = Math.round(host.clientHeight * scale);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      const imageId = stack.getCurrentImageId();
      const plane = imageId === undefined ? undefined : planeOf(imageId);
      if (plane === undefined || imageId === undefined) {
        context.clearRect(0, 0, width, height);
        overlay = { contours: 0, dose: false };
      } else {
        const toCanvas = (p: Vec3) => stack.worldToCanvas([p[0], p[1], p[2]]) as unknown as readonly [number, number];
        overlay = drawOverlay(
          context,
          plane.plane,
          plane.tolerance,
          content.current,
          toCanvas,
          scale,
          doseCache,
          imageId,
        );
      }
      report();
    };
    redraw.current = draw;
    const onVoi = (event: Event) => {
      const range = (event as CustomEvent<{ range?: { lower: number; upper: number } }>).detail.range;
      if (range === undefined) return;
      window = widthLevel(range);
      report();
    };
    host.addEventListener(Enums.Events.IMAGE_RENDERED, draw);
    host.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    const onKey = (event: KeyboardEvent) => {
      const steps: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, PageUp: -10, PageDown: 10 };
      const step = steps[event.key];
      if (step !== undefined) {
        stack.scroll(step);
      } else if (event.key === 'Home' || event.key === 'End') {
        void stack.setImageIdIndex(event.key === 'Home' ? 0 : stack.getImageIds().length - 1);
      } else if (/^[1-9]$/.test(event.key)) {
        const preset = callbacks.current.presets[Number(event.key) - 1];
        if (preset === undefined) return;
        callbacks.current.onPreset(preset);
      } else return;
      event.preventDefault();
    };
    host.addEventListener('keydown', onKey);
    // The right button zooms: no context menu over the image.
    const noMenu = (event: Event) => event.preventDefault();
    host.addEventListener('contextmenu', noMenu);
    const resize = new ResizeObserver(() => engine.resize(true, true));
    resize.observe(host);

    // The middle slice first, as in the Uploader's preview.
    stack
      .setStack([...props.imageIds], Math.floor((props.imageIds.length - 1) / 2))
      .then(() => {
        stack.render();
        host.focus({ preventScroll: true });
      })
      .catch((error: unknown) => callbacks.current.onError(error));

    return () => {
      resize.disconnect();
      host.removeEventListener(Enums.Events.IMAGE_RENDERED, draw);
      host.removeEventListener(Enums.Events.VOI_MODIFIED, onVoi);
      host.removeEventListener('keydown', onKey);
      host.removeEventListener('contextmenu', noMenu);
      ToolGroupManager.destroyToolGroup(toolGroupId);
      engine.destroy();
      viewport.current = null;
      redraw.current = () => undefined;
    };
  }, [props.imageIds]);

  // New structures or dose (or switched on/off): draw again without reloading images.
  useEffect(() => {
    content.current = props.overlay;
    redraw.current();
  }, [props.overlay]);

  useEffect(() => {
    const stack = viewport.current;
    if (stack === null || props.preset === null) return;
    if (props.preset.width === undefined || props.preset.level === undefined) stack.resetProperties();
    else stack.setProperties({ voiRange: voiRange(props.preset.width, props.preset.level) });
    stack.render();
  }, [props.preset]);

  return (
    <div className="stack-view">
      {/* Cornerstone owns this element's children (its canvas); keys and wheel need focus. */}
      <div
        ref={element}
        className="stack-element"
        data-testid="viewer-viewport"
        role="application"
        aria-label={props.label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: an "application" region: it takes arrow keys and digits
        tabIndex={0}
      />
      <canvas ref={overlayCanvas} className="stack-overlay" data-testid="viewer-overlay" />
    </div>
  );
}

/**
 * The image plane of a loaded image from Cornerstone's metadata (the wadouri provider reads it
 * from the file), and the tolerance for "this contour lies on this slice": half the slice
 * thickness, at least 0.1 mm.
 */
function planeOf(imageId: string): { plane: ImagePlane; tolerance: number } | undefined {
  const module = metaData.get('imagePlaneModule', imageId) as
    | {
        imagePositionPatient?: number[];
        rowCosines?: number[];
        columnCosines?: number[];
        rowPixelSpacing?: number;
        columnPixelSpacing?: number;
        rows?: number;
        columns?: number;
        sliceThickness?: number;
      }
    | undefined;
  const ipp = module?.imagePositionPatient;
  const row = module?.rowCosines;
  const column = module?.columnCosines;
  if (module === undefined || ipp?.length !== 3 || row?.length !== 3 || column?.length !== 3) return undefined;
  return {
    plane: {
      position: [ipp[0]!, ipp[1]!, ipp[2]!],
      rowCosines: [row[0]!, row[1]!, row[2]!],
      columnCosines: [column[0]!, column[1]!, column[2]!],
      rowSpacing: module.rowPixelSpacing ?? 1,
      columnSpacing: module.columnPixelSpacing ?? 1,
      rows: module.rows ?? 0,
      columns: module.columns ?? 0,
    },
    tolerance: Math.max(0.1, (module.sliceThickness ?? 1) / 2),
  };
}
