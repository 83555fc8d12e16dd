import type { Me, StudyOfUser } from '@courier/api';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useMemo } from 'react';
import { DataTable } from '../components/data-table.js';
import { useI18n } from '../i18n/i18n.js';

/** One row of the roles table: a membership with its study and site spelled out. */
interface RoleRow {
  id: string;
  study: string;
  role: string;
  site: string;
}

const column = createColumnHelper<RoleRow>();

/**
 * Who the user is: display name, user name, system administrator or not, and every role held, per
 * study and site (from `GET /api/me` and the user's studies; read-only: roles are granted by a
 * study admin).
 *
 * @example
 * <ProfileSection me={me} studies={studies} />
 */
export function ProfileSection({ me, studies }: { me: Me; studies: StudyOfUser[] }): ReactNode {
  const { t } = useI18n();
  const rows = useMemo<RoleRow[]>(() => {
    const byId = new Map(studies.map((s) => [s.id, s]));
    return me.memberships.map((m) => {
      const study = byId.get(m.studyId);
      const site = m.siteId === null ? t('setup.allSites') : (study?.sites.find((s) => s.id === m.siteId)?.code ?? '');
      return {
        id: m.membershipId,
        study: study === undefined ? m.studyId : `${study.identifier} · ${study.name}`,
        role: t(`role.${m.role}`),
        site,
      };
    });
  }, [me.memberships, studies, t]);
  const columns = useMemo(
    () => [
      column.accessor('study', { header: t('account.study') }),
      column.accessor('role', { header: t('setup.role') }),
      column.accessor('site', { header: t('subjects.site') }),
    ],
    [t],
  );
  return (
    <section aria-labelledby="account-profile-title" data-testid="account-profile">
      <h2 id="account-profile-title">{t('account.profile')}</h2>
      <dl className="account-facts">
        <dt>{t('setup.displayName')}</dt>
        <dd data-testid="account-display-name">{me.user.displayName}</dd>
        <dt>{t('setup.username')}</dt>
        <dd data-testid="account-username">{me.user.username}</dd>
        {me.user.systemAdmin && (
          <>
            <dt>{t('setup.systemAdmin')}</dt>
            <dd data-testid="account-system-admin">{t('common.yes')}</dd>
          </>
        )}
      </dl>
      <h3>{t('account.roles')}</h3>
      <DataTable
        testId="account-roles"
        data={rows}
        columns={columns}
        rowKey={(row) => row.id}
        emptyText={t('account.noRoles')}
      />
    </section>
  );
}
