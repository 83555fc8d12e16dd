// Public surface of @courier/deid (PS3.15 Annex E de-identification).

export { type ConfigProblem, type ConfigProblemCode, checkConfig } from './check-config.js';
export { type ResidualIdentity, residualIdentity } from './check-output.js';
export { identifierTokens, isCleanText } from './clean-text.js';
export { type ClinicalTrialIdentity, type DeidConfig, MIN_SECRET_LENGTH } from './config.js';
export { shiftDate, shiftDateTime } from './date-shift.js';
export { deidentify } from './deidentify.js';
export { DEID_ERROR_CODES, DeidError, type DeidErrorCode } from './errors.js';
export { headerOnlyGap } from './header-only.js';
export { deidentificationMethodText, IDENTITY_TAGS, identityElements } from './identity.js';
export {
  ALL_DEID_OPTIONS,
  BASIC_PROFILE_CODE,
  DEFAULT_TRIAL_OPTIONS,
  DEID_OPTIONS,
  type DeidOption,
  type DeidOptionInfo,
  parseDeidOption,
} from './options.js';
export {
  type DeidLogEntry,
  type DeidPlan,
  type DeidReport,
  type DeidWarning,
  type PlanOptions,
  planDeidentification,
} from './plan-deidentification.js';
export { PROFILE_EDITION, PROFILE_ROWS } from './profile.generated.js';
export { findProfileRow, PRIVATE_ATTRIBUTES_ROW } from './profile.js';
export type { ProfileAction, ProfileOptionColumn, ProfileRow } from './profile-row.js';
export { PROFILE_OPTION_COLUMNS } from './profile-row.js';
export { type ResolvedAction, resolveAction, resolveCompound, tableAction } from './resolve-action.js';
export { SAFE_PRIVATE_ELEMENTS, type SafePrivateEntry } from './safe-private.js';
export { deidConfigOfSlot } from './slot-deid-config.js';
export { supplementaryRow } from './supplementary-rules.js';
export { isWellKnownUid, remapUid, UidMapper } from './uid-map.js';
export { DEID_ENGINE_VERSION } from './version.js';
