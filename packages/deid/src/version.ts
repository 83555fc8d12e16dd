/**
 * Version of the de-identification engine, written into De-identification Method (0012,0063).
 * Kept equal to packages/deid/package.json "version" (tested).
 *
 * @example
 * `Courier ${DEID_ENGINE_VERSION}`; // 'Courier 0.1.0'
 */
export const DEID_ENGINE_VERSION = '0.1.0';
