import { describe, expect, it } from 'vitest';
import { csvBlob, csvCell, csvFileName, toCsv, UTF8_BOM } from './csv-export.js';

/** A minimal RFC 4180 reader, to check that what we write reads back as the cells we meant. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV export', () => {
  it('quotes cells with commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('keeps cells that begin with = + - @ tab or CR from being read as formulas', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+49 89 1234')).toBe("'+49 89 1234");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=cmd')).toBe("'\t=cmd");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    // A number is a number: a negative one keeps its sign and gets no quote.
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes a header and rows with CRLF line ends that read back as the same cells', () => {
    const rows = [
      ['S01-001', 'Müller, "Jo"', 3],
      ['S01-002', '=cmd|calc', null],
      ['S01-003', 'line\r\nbreak', -1],
    ];
    const csv = toCsv(['Label', 'Note', 'Count'], rows);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ['Label', 'Note', 'Count'],
      ['S01-001', 'Müller, "Jo"', '3'],
      ['S01-002', "'=cmd|calc", ''],
      ['S01-003', 'line\r\nbreak', '-1'],
    ]);
  });

  it('starts the file with the UTF-8 byte order mark so Excel reads umlauts', async () => {
    const blob = csvBlob(['Name'], [['Jörg']]);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(`${UTF8_BOM}Name\r\nJörg\r\n`);
  });

  it('names the file after the table and the date, without characters a file system refuses', () => {
    expect(csvFileName('subjects', 'FIX/01 study', new Date('2026-11-25T10:00:00Z'))).toBe(
      'FIX_01_study-subjects-2026-11-25.csv',
    );
    expect(csvFileName('events', undefined, new Date('2026-01-02T10:00:00Z'))).toBe('events-2026-01-02.csv');
  });
});
