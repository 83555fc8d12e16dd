import {
  createEventDefinition,
  createSlotDefinition,
  type EventDefinition,
  listEventDefinitions,
  type StudyOfUser,
} from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { call } from '../api/client.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSave } from './use-save.js';

/**
 * Event definitions with their upload slots; forms to add an event and a slot.
 *
 * @example
 * <EventsPanel study={study} />
 */
export function EventsPanel({ study }: { study: StudyOfUser }): ReactNode {
  const { t } = useI18n();
  const save = useSave();
  const key = ['event-definitions', study.id];
  const definitions = useQuery({
    queryKey: key,
    queryFn: () => call(listEventDefinitions, { params: { studyId: study.id } }),
  });
  const [eventName, setEventName] = useState('');
  const [repeating, setRepeating] = useState(false);
  const [slotEvent, setSlotEvent] = useState('');
  const [slotLabel, setSlotLabel] = useState('');
  const [modalities, setModalities] = useState('');
  const list: EventDefinition[] = definitions.data ?? [];
  return (
    <section data-testid="events-setup-panel">
      {definitions.error && <ErrorText error={definitions.error} />}
      <table className="data-table" data-testid="event-definitions-table">
        <thead>
          <tr>
            <th scope="col">{t('setup.event')}</th>
            <th scope="col">{t('setup.repeating')}</th>
            <th scope="col">{t('setup.slotLabel')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((definition) => (
            <tr key={definition.id} data-testid="event-definitions-table-row">
              <td>{definition.name}</td>
              <td>{definition.repeating ? t('common.yes') : t('common.no')}</td>
              <td>
                {definition.slots.length === 0
                  ? t('common.none')
                  : definition.slots
                      .map((slot) =>
                        slot.modalities.length ? `${slot.label} (${slot.modalities.join(', ')})` : slot.label,
                      )
                      .join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="inline-form"
        data-testid="event-form"
        onSubmit={async (event) => {
          event.preventDefault();
          const ok = await save.run(
            () =>
              call(createEventDefinition, {
                params: { studyId: study.id },
                body: { name: eventName.trim(), repeating },
              }),
            [key],
          );
          if (ok) setEventName('');
        }}
      >
        <label>
          {t('setup.event')}
          <input data-testid="event-name" value={eventName} onChange={(e) => setEventName(e.target.value)} required />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={repeating} onChange={(e) => setRepeating(e.target.checked)} />
          {t('setup.repeating')}
        </label>
        <button type="submit" className="primary" disabled={save.busy} data-testid="event-submit">
          {t('setup.addEvent')}
        </button>
      </form>
      <form
        className="inline-form"
        data-testid="slot-form"
        onSubmit={async (event) => {
          event.preventDefault();
          const list = modalities
            .split(',')
            .map((m) => m.trim().toUpperCase())
            .filter((m) => m !== '');
          const ok = await save.run(
            () =>
              call(createSlotDefinition, {
                params: { studyId: study.id, eventDefinitionId: slotEvent },
                body: { label: slotLabel.trim(), modalities: list },
              }),
            [key],
          );
          if (ok) {
            setSlotLabel('');
            setModalities('');
          }
        }}
      >
        <label>
          {t('setup.event')}
          <select data-testid="slot-event" value={slotEvent} onChange={(e) => setSlotEvent(e.target.value)} required>
            <option value="" />
            {list.map((definition) => (
              <option key={definition.id} value={definition.id}>
                {definition.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('setup.slotLabel')}
          <input data-testid="slot-label" value={slotLabel} onChange={(e) => setSlotLabel(e.target.value)} required />
        </label>
        <label>
          {t('setup.modalities')}
          <input data-testid="slot-modalities" value={modalities} onChange={(e) => setModalities(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={save.busy} data-testid="slot-submit">
          {t('setup.addSlot')}
        </button>
      </form>
      {save.error !== null && <ErrorText error={save.error} />}
    </section>
  );
}
