/**
 * pydicom's test files, installed by Debian's python3-pydicom (.ci/run installs it). Tests that
 * use them skip with a message when the package is absent, unless COURIER_REQUIRE_SYSTEM_FIXTURES=1
 * (CI), where they must run and fail.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const PYDICOM_DATA = '/usr/lib/python3/dist-packages/pydicom/data';
export const PYDICOM_TEST_FILES: string = join(PYDICOM_DATA, 'test_files');
export const PYDICOM_CHARSET_FILES: string = join(PYDICOM_DATA, 'charset_files');

const present = existsSync(PYDICOM_TEST_FILES);
const required = process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1';

/** True when the tests using pydicom's files should run. */
export const runPydicomTests: boolean = present || required;
if (!runPydicomTests) {
  console.warn(`skipping tests on pydicom's files: ${PYDICOM_TEST_FILES} is absent (apt-get install python3-pydicom)`);
}

/** The bytes of one file by its path under pydicom/data, e.g. "test_files/CT_small.dcm". */
export function pydicomFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(PYDICOM_DATA, name)));
}

/** Every file under test_files and charset_files, as paths relative to pydicom/data, sorted. */
export function allPydicomFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(PYDICOM_DATA, p));
    }
  };
  if (present) {
    walk(PYDICOM_TEST_FILES);
    walk(PYDICOM_CHARSET_FILES);
  }
  return out.sort();
}
