import { type ReactNode, useEffect, useRef } from 'react';
import { Tabs } from '../components/tabs.js';
import { useI18n } from '../i18n/i18n.js';
import { DicomTab } from './dicom-tab.js';
import { EventsTab } from './events-tab.js';
import { usePacsSelection } from './pacs-selection.js';
import { SubjectsTab } from './subjects-tab.js';
import { useActiveStudy } from './use-active-study.js';

/**
 * "PACS - medical imaging" → "Subjects/Events/DICOM": the three tabs of the upload workflow.
 *
 * @example
 * <SubjectsEventsDicomPage />
 */
export function SubjectsEventsDicomPage(): ReactNode {
  const { t } = useI18n();
  const { study } = useActiveStudy();
  const selection = usePacsSelection();
  const panel = useRef<HTMLDivElement>(null);
  const { tab, subjectId, eventId } = selection;
  // Picking a row moves on to the next tab and the row goes away: the focus follows to the new
  // panel, so a keyboard user goes on from there instead of from the top of the page. (A tab
  // chosen in the tab list keeps its focus.)
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the tab changes, which is the point
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body) panel.current?.focus();
  }, [tab]);
  if (study === undefined) return <p>{t('home.noStudy')}</p>;
  return (
    <div className="page" data-testid="pacs-page">
      <h1>{t('menu.subjectsEventsDicom')}</h1>
      <Tabs
        testId="pacs-tabs"
        panelId="pacs-panel"
        active={tab}
        onChange={(next) => selection.select({ tab: next })}
        items={[
          { key: 'subjects', label: t('tabs.subjects') },
          { key: 'events', label: t('tabs.events'), disabled: subjectId === null },
          { key: 'dicom', label: t('tabs.dicom'), disabled: eventId === null },
        ]}
      />
      <div
        className="tab-panel"
        role="tabpanel"
        id="pacs-panel"
        aria-labelledby={`pacs-panel-${tab}`}
        tabIndex={-1}
        ref={panel}
        data-testid="pacs-panel"
      >
        {tab === 'subjects' && <SubjectsTab study={study} selection={selection} />}
        {tab === 'events' &&
          (subjectId === null ? (
            <p>{t('subjects.pickFirst')}</p>
          ) : (
            <EventsTab study={study} subjectId={subjectId} selection={selection} />
          ))}
        {tab === 'dicom' &&
          (subjectId === null || eventId === null ? (
            <p>{t('events.pickFirst')}</p>
          ) : (
            <DicomTab study={study} subjectId={subjectId} eventId={eventId} />
          ))}
      </div>
    </div>
  );
}
