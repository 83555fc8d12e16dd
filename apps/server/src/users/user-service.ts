import { randomUUID } from 'node:crypto';
import {
  ApiError,
  type CreateMembershipRequest,
  type CreateUserRequest,
  type Membership,
  type UpdateUserRequest,
  type UserCreated,
  type UserSummary,
} from '@courier/api';
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import type { Actor } from '../context.js';
import type { Database, UserTable } from '../database/schema.js';
import { toUserSummary } from '../edc/mappers.js';

/**
 * Creates a user; without a password one is generated and returned once (never stored in clear).
 *
 * @example
 * const { user, generatedPassword } = await createUser(db, now, actor, { username: 'anna', displayName: 'Anna' });
 */
export async function createUser(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  input: CreateUserRequest,
): Promise<UserCreated> {
  const generatedPassword = input.password === undefined ? generatePassword() : null;
  const row = {
    id: randomUUID(),
    username: input.username,
    displayName: input.displayName,
    passwordHash: await hashPassword(input.password ?? generatedPassword!),
    systemAdmin: input.systemAdmin === true ? 1 : 0,
    disabled: 0,
    createdAt: now.toISOString(),
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(row).execute();
    await appendAudit(trx, now, actor, {
      action: 'user.created',
      targetType: 'user',
      targetId: row.id,
      details: { username: row.username, systemAdmin: row.systemAdmin === 1 },
    });
  });
  return { user: toUserSummary(row), generatedPassword };
}

/**
 * All users by user name.
 *
 * @example
 * const users = await listUsers(db);
 */
export async function listUsers(db: Kysely<Database>): Promise<UserSummary[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'displayName', 'systemAdmin'])
    .orderBy('username')
    .execute();
  return rows.map(toUserSummary);
}

/**
 * Grants a role in a study; the site (if any) must belong to the study.
 *
 * @example
 * await createMembership(db, now, actor, studyId, { userId, role: 'site_uploader', siteId });
 */
export async function createMembership(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  input: CreateMembershipRequest,
): Promise<Membership> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', '=', input.userId)
      .executeTakeFirst();
    if (user === undefined) throw new ApiError('VALIDATION_FAILED', 'no such user');
    if (input.siteId !== null) {
      const site = await trx
        .selectFrom('sites')
        .select('id')
        .where('id', '=', input.siteId)
        .where('studyId', '=', studyId)
        .executeTakeFirst();
      if (site === undefined) throw new ApiError('VALIDATION_FAILED', 'the site is not a site of this study');
    }
    let duplicate = trx
      .selectFrom('memberships')
      .select('id')
      .where('userId', '=', input.userId)
      .where('studyId', '=', studyId)
      .where('role', '=', input.role);
    duplicate =
      input.siteId === null ? duplicate.where('siteId', 'is', null) : duplicate.where('siteId', '=', input.siteId);
    if ((await duplicate.executeTakeFirst()) !== undefined) throw new ApiError('ALREADY_EXISTS', 'membership exists');
    const row = { id: randomUUID(), userId: input.userId, studyId, siteId: input.siteId, role: input.role };
    await trx
      .insertInto('memberships')
      .values({ ...row, createdAt: now.toISOString() })
      .execute();
    await appendAudit(trx, now, actor, {
      action: 'membership.created',
      studyId,
      targetType: 'membership',
      targetId: row.id,
      details: { userId: row.userId, role: row.role, siteId: row.siteId },
    });
    return { ...row, username: user.username };
  });
}

/**
 * The memberships of a study by user name.
 *
 * @example
 * const memberships = await listMemberships(db, studyId);
 */
export async function listMemberships(db: Kysely<Database>, studyId: string): Promise<Membership[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select(['m.id', 'm.studyId', 'm.userId', 'u.username', 'm.role', 'm.siteId'])
    .where('m.studyId', '=', studyId)
    .orderBy('u.username')
    .orderBy('m.role')
    .execute();
}

/**
 * Withdraws a membership of a study.
 *
 * @example
 * await deleteMembership(db, now, actor, studyId, membershipId);
 */
export async function deleteMembership(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  studyId: string,
  membershipId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('memberships')
      .selectAll()
      .where('id', '=', membershipId)
      .where('studyId', '=', studyId)
      .executeTakeFirst();
    if (row === undefined) throw new ApiError('NOT_FOUND', 'no such membership in this study');
    await trx.deleteFrom('memberships').where('id', '=', membershipId).execute();
    await appendAudit(trx, now, actor, {
      action: 'membership.deleted',
      studyId,
      targetType: 'membership',
      targetId: membershipId,
      details: { userId: row.userId, role: row.role, siteId: row.siteId },
    });
  });
}

/**
 * Renames, disables or re-enables a user, or changes system administration. Disabling ends the
 * user's sessions at once (its API tokens are refused while disabled).
 *
 * @example
 * await updateUser(db, now, actor, userId, { disabled: true });
 */
export async function updateUser(
  db: Kysely<Database>,
  now: Date,
  actor: Actor,
  userId: string,
  input: UpdateUserRequest,
): Promise<UserSummary> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (existing === undefined) throw new ApiError('NOT_FOUND', 'no such user');
    const changes: Partial<UserTable> = {};
    if (input.displayName !== undefined) changes.displayName = input.displayName;
    if (input.disabled !== undefined) changes.disabled = input.disabled ? 1 : 0;
    if (input.systemAdmin !== undefined) changes.systemAdmin = input.systemAdmin ? 1 : 0;
    if (Object.keys(changes).length > 0) await trx.updateTable('users').set(changes).where('id', '=', userId).execute();
    if (input.disabled === true) await trx.deleteFrom('sessions').where('userId', '=', userId).execute();
    await appendAudit(trx, now, actor, {
      action: 'user.updated',
      targetType: 'user',
      targetId: userId,
      details: { ...input },
    });
    const row = await trx
      .selectFrom('users')
      .select(['id', 'username', 'displayName', 'systemAdmin'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return toUserSummary(row);
  });
}
