import { type ReactNode, useState } from 'react';
import { Tabs } from '../components/tabs.js';
import { useI18n } from '../i18n/i18n.js';
import { abilities } from '../portal/session.js';
import { useActiveStudy } from '../portal/use-active-study.js';
import { EnrolmentPanel } from './enrolment-panel.js';
import { EventsPanel } from './events-panel.js';
import { NotificationsPanel } from './notifications-panel.js';
import { OdmPanel } from './odm-panel.js';
import { SitesPanel } from './sites-panel.js';
import { UsersPanel } from './users-panel.js';

type SetupTab = 'sites' | 'users' | 'events' | 'enrolment' | 'notifications' | 'odm';

/**
 * Study set-up for study admins and managers: sites, users and roles, events and slots, enrolment.
 *
 * @example
 * <SetupPage />
 */
export function SetupPage(): ReactNode {
  const { t } = useI18n();
  const { me, study } = useActiveStudy();
  const [tab, setTab] = useState<SetupTab>('sites');
  if (study === undefined) return <p>{t('home.noStudy')}</p>;
  const can = abilities(me, study);
  if (!can.setUp) return <p className="error">{t('common.error', { message: 'FORBIDDEN' })}</p>;
  return (
    <div className="page" data-testid="setup-page">
      <h1>
        {t('setup.title')} — {study.identifier}
      </h1>
      <Tabs<SetupTab>
        testId="setup-tabs"
        active={tab}
        onChange={setTab}
        items={[
          { key: 'sites', label: t('setup.sites') },
          { key: 'users', label: `${t('setup.users')} / ${t('setup.memberships')}` },
          { key: 'events', label: t('setup.events') },
          { key: 'enrolment', label: t('setup.enrolment') },
          { key: 'notifications', label: t('setup.notifications') },
          { key: 'odm', label: t('setup.odm') },
        ]}
      />
      <div className="tab-panel" role="tabpanel">
        {tab === 'sites' && <SitesPanel study={study} />}
        {tab === 'users' && <UsersPanel study={study} manageUsers={can.manageUsers} manageRoles={can.manageRoles} />}
        {tab === 'events' && <EventsPanel study={study} />}
        {tab === 'enrolment' && <EnrolmentPanel study={study} />}
        {tab === 'notifications' && <NotificationsPanel study={study} showOutbox={can.manageRoles} />}
        {tab === 'odm' && <OdmPanel study={study} />}
      </div>
    </div>
  );
}
