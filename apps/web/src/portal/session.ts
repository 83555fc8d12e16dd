import { getMe, listStudies, login, logout, type Me, type Role, type StudyOfUser, setActiveStudy } from '@courier/api';
import { type QueryClient, type UseQueryResult, useQuery } from '@tanstack/react-query';
import { call, isAuthError, setCsrfToken } from '../api/client.js';

/**
 * The current user, or null when not logged in (401 is an answer here, not an error).
 *
 * @example
 * const me = useMe().data;
 */
export function useMe(): UseQueryResult<Me | null> {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const me = await call(getMe);
        setCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (isAuthError(error)) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/**
 * The studies of the current user.
 *
 * @example
 * const studies = useStudies(me !== null).data ?? [];
 */
export function useStudies(enabled: boolean): UseQueryResult<StudyOfUser[]> {
  return useQuery({ queryKey: ['studies'], queryFn: () => call(listStudies), enabled });
}

/**
 * Logs in and primes the cache with the new user.
 *
 * @example
 * await logIn(queryClient, 'uploader', password);
 */
export async function logIn(queryClient: QueryClient, username: string, password: string): Promise<Me> {
  const me = await call(login, { body: { username, password } });
  setCsrfToken(me.csrfToken);
  queryClient.clear();
  queryClient.setQueryData(['me'], me);
  return me;
}

/**
 * Logs out and forgets every cached answer (nothing of the previous user stays in memory).
 *
 * @example
 * await logOut(queryClient);
 */
export async function logOut(queryClient: QueryClient): Promise<void> {
  try {
    await call(logout);
  } finally {
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(['me'], null);
  }
}

/**
 * Switches the active study of the session.
 *
 * @example
 * await switchStudy(queryClient, study.id);
 */
export async function switchStudy(queryClient: QueryClient, studyId: string): Promise<void> {
  const me = await call(setActiveStudy, { body: { studyId } });
  setCsrfToken(me.csrfToken);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' && query.queryKey[0] !== 'studies' });
  queryClient.setQueryData(['me'], me);
}

/** What the current user may do in the active study. */
export interface Abilities {
  /** Study set-up: sites, events and slots, enrolment, roles. */
  setUp: boolean;
  /** Grant roles (study admins). */
  manageRoles: boolean;
  /** Create user accounts (system administrators). */
  manageUsers: boolean;
  /** Read the audit log. */
  readAudit: boolean;
}

/**
 * Derives the menu entries the user may see from roles; the server enforces the same rules.
 *
 * @example
 * const can = abilities(me, study);
 * if (can.readAudit) showAuditMenu();
 */
export function abilities(me: Me, study: StudyOfUser | undefined): Abilities {
  const roles: Role[] = study?.roles ?? [];
  const admin = me.user.systemAdmin || roles.includes('admin');
  return {
    setUp: admin || roles.includes('study_manager'),
    manageRoles: admin,
    manageUsers: me.user.systemAdmin,
    readAudit: admin,
  };
}
