import { existsSync } from 'node:fs';

/** pydicom's test files (Debian python3-pydicom), see their README.txt for provenance. */
export const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/**
 * True when pydicom's test files are installed. Absent: tests skip with a message, unless
 * COURIER_REQUIRE_SYSTEM_FIXTURES=1 (CI), where their absence is an error.
 */
export function hasPydicomFiles(): boolean {
  if (existsSync(PYDICOM_TEST_FILES)) return true;
  if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
    throw new Error(`${PYDICOM_TEST_FILES} is missing: install python3-pydicom (COURIER_REQUIRE_SYSTEM_FIXTURES=1)`);
  }
  console.warn(`skipping pydicom-based tests: ${PYDICOM_TEST_FILES} not found (apt-get install python3-pydicom)`);
  return false;
}

/** Debian dcmtk's dcmdump, an independent DICOM parser. */
export const DCMDUMP = '/usr/bin/dcmdump';

/** True when dcmdump is installed; same skip/fail policy as hasPydicomFiles. */
export function hasDcmdump(): boolean {
  if (existsSync(DCMDUMP)) return true;
  if (process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1') {
    throw new Error(`${DCMDUMP} is missing: install dcmtk (COURIER_REQUIRE_SYSTEM_FIXTURES=1)`);
  }
  console.warn(`skipping dcmdump-based tests: ${DCMDUMP} not found (apt-get install dcmtk)`);
  return false;
}
