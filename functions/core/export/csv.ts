import { type Stringifier, stringify } from 'csv-stringify';

/**
 * CSV as RFC 4180 has it: comma-separated, CRLF between records, a header row, and any field
 * holding a comma, a double quote or a line break (CR or LF, alone or together) in double
 * quotes with its quotes doubled. csv-stringify quotes a field on the delimiter, the quote and
 * the record delimiter; `quoted_match` adds a lone LF or CR inside a field, which it would
 * otherwise leave bare once the record delimiter is CRLF. UTF-8 throughout; `bom` starts the
 * file with a byte-order mark, which Excel needs to read UTF-8 (Kiswahili, Bengali) rightly.
 */
export function csvStringifier(columns: readonly string[], opts: { bom: boolean }): Stringifier {
  return stringify({
    header: true,
    columns: [...columns],
    bom: opts.bom,
    delimiter: ',',
    quote: '"',
    escape: '"',
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
    // Participants' own words (complaints, text answers) open in Excel: a cell starting with
    // = + - @ would be run as a formula (CSV injection), so it gets a leading apostrophe.
    // Numbers and phone numbers (+2547…) are data, not formulas, and stay as they are.
    cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) && !/^[+-]?\d[\d.]*$/.test(value) ? `'${value}` : value) },
  });
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
