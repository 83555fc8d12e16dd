/**
 * Patient names of pydicom's Specific Character Set files (from David Clunie's SCS* samples)
 * decode to what DCMTK prints when converting to UTF-8 (dcmdump +U8). DCMTK's iconv cannot
 * convert the ISO 2022 Japanese files; for those the oracle is the WHATWG iso-2022-jp decoder
 * (IR 87 only) or the values pydicom documents in charset_files/FileInfo.txt.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readDicom } from '../src/read-dicom.js';
import { tag } from '../src/tag.js';
import { getBytes, getSequence, getString } from '../src/values.js';
import { DCMDUMP, hasDcmdump } from './dcmdump.js';
import { PYDICOM_CHARSET_FILES, pydicomFile, runPydicomTests } from './pydicom-files.js';

const PATIENT_NAME = tag(0x0010, 0x0010);

/** dcmdump +U8's Patient's Name, or undefined when DCMTK cannot convert the file. */
function dcmdumpUtf8Name(name: string): string | undefined {
  const run = spawnSync(DCMDUMP, ['-q', '+U8', '+L', '+P', '0010,0010', name], {
    cwd: PYDICOM_CHARSET_FILES,
    encoding: 'utf8',
  });
  const m = /^\(0010,0010\) PN \[(.*)\]\s+#/m.exec(run.stdout);
  return m?.[1];
}

const run = runPydicomTests && (hasDcmdump || process.env.COURIER_REQUIRE_SYSTEM_FIXTURES === '1');

describe.runIf(run)('Specific Character Set on pydicom charset files', () => {
  it.each([
    ['chrArab.dcm', 'قباني^لنزار'],
    ['chrFren.dcm', 'Buc^Jérôme'],
    ['chrFrenMulti.dcm', 'Buc^Jérôme'],
    ['chrGerm.dcm', 'Äneas^Rüdiger'],
    ['chrGreek.dcm', 'Διονυσιος'],
    ['chrHbrw.dcm', 'שרון^דבורה'],
    ['chrI2.dcm', 'Hong^Gildong=洪^吉洞=홍^길동'],
    ['chrKoreanMulti.dcm', '김희중'],
    ['chrRuss.dcm', 'Люкceмбypг'],
    ['chrX1.dcm', 'Wang^XiaoDong=王^小東='],
    ['chrX2.dcm', 'Wang^XiaoDong=王^小东='],
  ])('%s decodes its patient name as dcmdump +U8 prints it', (name, expected) => {
    const file = readDicom(pydicomFile(`charset_files/${name}`));
    const dumped = dcmdumpUtf8Name(name);
    expect(dumped).toBe(expected);
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe(dumped);
  });

  it.each(['chrH31.dcm', 'chrJapMulti.dcm', 'chrJapMultiExplicitIR6.dcm'])(
    '%s (ISO 2022 IR 87) decodes as the WHATWG iso-2022-jp decoder does',
    (name) => {
      const file = readDicom(pydicomFile(`charset_files/${name}`));
      const el = file.dataSet.elements.get(PATIENT_NAME)!;
      const oracle = new TextDecoder('iso-2022-jp').decode(getBytes(file, el)).trimEnd();
      expect(oracle).toMatch(/[\u3040-\u30ff]/); // it holds Japanese characters at all
      expect(getString(file, file.dataSet, PATIENT_NAME)).toBe(oracle);
    },
  );

  it('chrH32.dcm (ISO 2022 IR 13 and IR 87) decodes half-width katakana and kanji as pydicom documents', () => {
    const file = readDicom(pydicomFile('charset_files/chrH32.dcm'));
    expect(getString(file, file.dataSet, PATIENT_NAME)).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう');
  });

  it.each(['chrSQEncoding.dcm', 'chrSQEncoding1.dcm'])(
    '%s decodes a sequence item with the character set in force for the item',
    (name) => {
      const file = readDicom(pydicomFile(`charset_files/${name}`));
      const item = getSequence(file.dataSet, tag(0x0032, 0x1064))[0]!;
      expect(getString(file, item, PATIENT_NAME)).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう');
    },
  );
});
