import type { SeriesNode } from '@courier/uploader';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { uploadItems } from '../upload-items.js';
import { loadPreview, type PreviewResult } from './load-preview.js';
import { middleInstance } from './middle-instance.js';
import { defaultWindow, frameToRgba } from './window-level.js';
import './preview.css';

type State = { step: 'loading' } | { step: 'done'; result: PreviewResult } | { step: 'missing' };

/**
 * The middle slice of a dropped series, decoded on the page from the dropped File (nothing is
 * uploaded or sent anywhere) and drawn with the file's window or a percentile window. Announces
 * `data-state` loading / ready / failed for tests.
 *
 * @example
 * <SeriesPreview series={row.series} files={droppedFilesByPath} />
 */
export function SeriesPreview(props: { series: SeriesNode; files: ReadonlyMap<string, File> }): ReactNode {
  const { t } = useI18n();
  const [state, setState] = useState<State>({ step: 'loading' });
  const canvas = useRef<HTMLCanvasElement>(null);
  const instance = middleInstance(props.series);

  useEffect(() => {
    let live = true;
    setState({ step: 'loading' });
    (async () => {
      if (instance === undefined) return setState({ step: 'missing' });
      // The same lookup the upload uses: a dropped File, or a member of a dropped zip.
      const { items } = await uploadItems(
        [{ ...props.series, instances: [instance] }],
        new Set([props.series.seriesInstanceUID]),
        props.files,
      );
      const source = items[0]?.source;
      if (source === undefined) {
        if (live) setState({ step: 'missing' });
        return;
      }
      const result = await loadPreview(source);
      if (live) setState({ step: 'done', result });
    })();
    return () => {
      live = false;
    };
  }, [props.series, props.files, instance]);

  const frame = state.step === 'done' && state.result.ok ? state.result.frame : null;
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (frame === null || element === null || context === null || context === undefined) return;
    element.width = frame.columns;
    element.height = frame.rows;
    context.putImageData(new ImageData(frameToRgba(frame, defaultWindow(frame)), frame.columns, frame.rows), 0, 0);
  }, [frame]);

  let message: string | null = null;
  if (state.step === 'loading') message = t('preview.loading');
  else if (state.step === 'missing') message = t('preview.missing');
  else if (!state.result.ok) {
    const failure = state.result.failure;
    message =
      failure.reason === 'compressed'
        ? t('preview.compressed', { syntax: failure.transferSyntaxUID })
        : failure.reason === 'no-pixel-data'
          ? t('preview.noPixels')
          : failure.reason === 'too-large'
            ? t('preview.tooLarge')
            : t('preview.unsupported', { detail: 'detail' in failure ? (failure.detail ?? '') : '' });
  }
  // Pixel Spacing makes non-square pixels look right (rows spacing vs columns spacing).
  const aspect = frame?.pixelSpacing
    ? (frame.columns * frame.pixelSpacing[1]) / (frame.rows * frame.pixelSpacing[0])
    : null;
  return (
    <figure
      className="series-preview"
      data-testid="series-preview"
      data-state={state.step === 'loading' ? 'loading' : frame !== null ? 'ready' : 'failed'}
    >
      <canvas
        ref={canvas}
        data-testid="series-preview-canvas"
        hidden={frame === null}
        style={aspect !== null ? { aspectRatio: String(aspect) } : undefined}
        aria-label={t('preview.label')}
      />
      {message !== null && (
        <p className="hint" data-testid="series-preview-message">
          {message}
        </p>
      )}
      {frame !== null && (
        <figcaption className="hint" data-testid="series-preview-caption">
          {t('preview.caption', {
            instance: instance?.instanceNumber ?? '–',
            count: props.series.instances.length,
            frame: frame.frameIndex + 1,
            frames: frame.frameCount,
          })}
        </figcaption>
      )}
    </figure>
  );
}
