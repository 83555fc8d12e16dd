import { z } from 'zod';

/** An identifier issued by the Portal (a UUID). */
export const Id: z.ZodType<string> = z.uuid();

/** A calendar date, `YYYY-MM-DD`. */
export const IsoDate: z.ZodType<string> = z.iso.date();

/** An instant, ISO 8601 in UTC, e.g. `2026-11-25T12:00:00.000Z`. */
export const IsoDateTime: z.ZodType<string> = z.iso.datetime();

/** The roles a membership grants in one study. */
export const ROLES: readonly ['admin', 'study_manager', 'site_uploader', 'monitor'] = [
  'admin',
  'study_manager',
  'site_uploader',
  'monitor',
];
/** A role in a study: admin (everything), study_manager (set-up, all sites), site_uploader (own site), monitor (read). */
export type Role = (typeof ROLES)[number];
/** Schema of {@link Role}. */
export const RoleSchema: z.ZodType<Role> = z.enum(ROLES);

/** Paging parameters of list endpoints. */
export interface PageQuery {
  offset: number;
  limit: number;
}
/** Query schema of {@link PageQuery}: `?offset=0&limit=50` (limit at most 200). */
export const PageQueryShape: { offset: z.ZodDefault<z.ZodCoercedNumber>; limit: z.ZodDefault<z.ZodCoercedNumber> } = {
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

/** A page of a list. */
export interface Page<T> {
  items: T[];
  /** Number of items matching the query over all pages. */
  total: number;
  offset: number;
  limit: number;
}

/**
 * Builds the schema of a page of items.
 *
 * @example
 * const SubjectPage = pageOf(SubjectSchema);
 */
export function pageOf<T>(item: z.ZodType<T>): z.ZodType<Page<T>> {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
  });
}

/** Path parameters naming a study. */
export interface StudyParams {
  studyId: string;
}
/** Schema of {@link StudyParams}. */
export const StudyParamsSchema: z.ZodType<StudyParams> = z.object({ studyId: Id });
