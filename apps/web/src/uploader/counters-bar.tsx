import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { formatBytes } from './ignored-text.js';
import type { Counters } from './scan-state.js';

/**
 * Files found, DICOM, ignored (a button opening the list), studies, selected series, size.
 *
 * @example
 * <CountersBar counters={counters(state)} onIgnored={() => setShowIgnored(true)} />
 */
export function CountersBar(props: { counters: Counters; onIgnored(): void; state: string }): ReactNode {
  const { t, language } = useI18n();
  const c = props.counters;
  const item = (label: string, value: string | number, testId: string) => (
    <div className="counter">
      <span className="counter-label">{label}</span>
      <span className="counter-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
  return (
    // A polite live region: screen readers hear the counts as the scan fills them in.
    <div className="counters" role="status" aria-atomic="true" data-testid="counters" data-state={props.state}>
      {item(t('count.files'), c.filesFound, 'count-files')}
      {item(t('count.dicom'), c.dicom, 'count-dicom')}
      <button
        type="button"
        className="counter ignored"
        data-testid="ignored-button"
        disabled={c.ignored === 0 || props.state !== 'scanned'}
        onClick={props.onIgnored}
      >
        <span className="counter-label">{t('count.ignored')}</span>
        <span className="counter-value" data-testid="count-ignored">
          {c.ignored}
        </span>
      </button>
      {item(t('count.studies'), c.studies, 'count-studies')}
      {item(t('count.selected'), c.selectedSeries, 'count-selected')}
      {item(t('count.size'), formatBytes(c.size, language), 'count-size')}
    </div>
  );
}
