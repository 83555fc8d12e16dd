import {
  createMembership,
  createUser,
  listMemberships,
  listUsers,
  type Membership,
  ROLES,
  type Role,
  type StudyOfUser,
  type UserSummary,
} from '@courier/api';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { call } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorText } from '../components/error-text.js';
import { useI18n } from '../i18n/i18n.js';
import { useSave } from './use-save.js';

const userColumn = createColumnHelper<UserSummary>();
const membershipColumn = createColumnHelper<Membership>();

/**
 * User accounts (system administrators) and the study's roles (study admins): lists and create forms.
 * A generated one-time password is shown once, in the page, never in a toast that might linger.
 *
 * @example
 * <UsersPanel study={study} manageUsers manageRoles />
 */
export function UsersPanel(props: { study: StudyOfUser; manageUsers: boolean; manageRoles: boolean }): ReactNode {
  const { t } = useI18n();
  const { study } = props;
  const saveUser = useSave();
  const saveRole = useSave();
  const users = useQuery({ queryKey: ['users'], queryFn: () => call(listUsers), enabled: props.manageUsers });
  const memberships = useQuery({
    queryKey: ['memberships', study.id],
    queryFn: () => call(listMemberships, { params: { studyId: study.id } }),
  });
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<Role>('site_uploader');
  const [siteId, setSiteId] = useState<string>('');
  const siteCode = useMemo(() => new Map(study.sites.map((s) => [s.id, s.code])), [study.sites]);
  const userColumns = useMemo(
    () => [
      userColumn.accessor('username', { header: t('setup.username') }),
      userColumn.accessor('displayName', { header: t('setup.displayName') }),
      userColumn.accessor((u) => (u.systemAdmin ? t('common.yes') : t('common.no')), {
        id: 'admin',
        header: t('setup.systemAdmin'),
      }),
    ],
    [t],
  );
  const membershipColumns = useMemo(
    () => [
      membershipColumn.accessor('username', { header: t('setup.user') }),
      membershipColumn.accessor((m) => t(`role.${m.role}`), { id: 'role', header: t('setup.role') }),
      membershipColumn.accessor(
        (m) => (m.siteId === null ? t('setup.allSites') : (siteCode.get(m.siteId) ?? m.siteId)),
        {
          id: 'site',
          header: t('subjects.site'),
        },
      ),
    ],
    [t, siteCode],
  );
  const userFieldId = useId();
  const siteScoped = role === 'site_uploader' || role === 'monitor';

  return (
    <section data-testid="users-panel">
      <h2>{t('setup.users')}</h2>
      {props.manageUsers ? (
        <>
          {users.error && <ErrorText error={users.error} />}
          <DataTable testId="users-table" data={users.data ?? []} columns={userColumns} rowKey={(u) => u.id} />
          <form
            className="inline-form"
            data-testid="user-form"
            onSubmit={async (event) => {
              event.preventDefault();
              let answer: { username: string; password: string } | null = null;
              const ok = await saveUser.run(async () => {
                const result = await call(createUser, {
                  body: { username: username.trim(), displayName: displayName.trim() },
                });
                if (result.generatedPassword !== null)
                  answer = { username: result.user.username, password: result.generatedPassword };
              }, [['users']]);
              if (ok) {
                setCreated(answer);
                setUsername('');
                setDisplayName('');
              }
            }}
          >
            <label>
              {t('setup.username')}
              <input
                data-testid="user-username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
              />
            </label>
            <label>
              {t('setup.displayName')}
              <input
                data-testid="user-display-name"
                value={displayName}
                onChange={(e) => setDisplayName(e.target.value)}
                required
              />
            </label>
            <button type="submit" className="primary" disabled={saveUser.busy} data-testid="user-submit">
              {t('setup.addUser')}
            </button>
          </form>
          {saveUser.error !== null && <ErrorText error={saveUser.error} />}
          {created !== null && (
            <p className="notice" data-testid="generated-password">
              {t('setup.generatedPassword', { username: created.username, password: created.password })}
            </p>
          )}
        </>
      ) : (
        <p className="hint">{t('setup.onlySystemAdmins')}</p>
      )}
      <h2>{t('setup.memberships')}</h2>
      {memberships.error && <ErrorText error={memberships.error} />}
      <DataTable
        testId="memberships-table"
        data={memberships.data ?? []}
        columns={membershipColumns}
        rowKey={(m) => m.id}
      />
      {props.manageRoles && (
        <form
          className="inline-form"
          data-testid="membership-form"
          onSubmit={async (event) => {
            event.preventDefault();
            await saveRole.run(
              () =>
                call(createMembership, {
                  params: { studyId: study.id },
                  body: { userId, role, siteId: siteScoped && siteId !== '' ? siteId : null },
                }),
              [['memberships', study.id]],
            );
          }}
        >
          <label htmlFor={userFieldId}>
            {t('setup.user')}
            {props.manageUsers ? (
              <select
                id={userFieldId}
                data-testid="membership-user"
                value={userId}
                onChange={(e) => setUserId(e.target.value)}
                required
              >
                <option value="" />
                {(users.data ?? []).map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.username}
                  </option>
                ))}
              </select>
            ) : (
              <input
                data-testid="membership-user"
                value={userId}
                onChange={(e) => setUserId(e.target.value)}
                required
              />
            )}
          </label>
          <label>
            {t('setup.role')}
            <select data-testid="membership-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          {siteScoped && (
            <label>
              {t('subjects.site')}
              <select data-testid="membership-site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
                {role === 'monitor' && <option value="">{t('setup.allSites')}</option>}
                {role === 'site_uploader' && <option value="" />}
                {study.sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.code}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" className="primary" disabled={saveRole.busy} data-testid="membership-submit">
            {t('setup.addMembership')}
          </button>
        </form>
      )}
      {saveRole.error !== null && <ErrorText error={saveRole.error} />}
    </section>
  );
}
