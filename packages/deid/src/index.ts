// Public surface of @courier/deid (PS3.15 Annex E de-identification).

export { PROFILE_EDITION, PROFILE_ROWS } from './profile.generated.js';
export { findProfileRow, PRIVATE_ATTRIBUTES_ROW } from './profile.js';
export type { ProfileAction, ProfileOptionColumn, ProfileRow } from './profile-row.js';
export { PROFILE_OPTION_COLUMNS } from './profile-row.js';
