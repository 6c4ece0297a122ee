import { describe, expect, it } from 'vitest';
import { defuseCsvCell } from '../../../../server/domain/csv-cells.ts';

describe('defuseCsvCell', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://evil.example","click")'])(
    'prefixes %j, which starts a formula',
    (cell) => {
      expect(defuseCsvCell(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['ok;=1+1', 'ok,=1+1', 'ok\t=1+1', 'a;+1', 'a,-1', 'a;@x', 'a;\t=1', 'a,\r=1'])(
    'prefixes %j, which a spreadsheet splitting at ; , or tab turns into a formula',
    (cell) => {
      expect(defuseCsvCell(cell)).toBe(`'${cell}`);
    },
  );

  it.each(['Renegotiate the fuel card', '', 'ok; fine', 'a, b', 'e-mail', 'x=1', 'ana@example.com', '2026-11-24'])(
    'leaves %j as it is',
    (cell) => {
      expect(defuseCsvCell(cell)).toBe(cell);
    },
  );
});
