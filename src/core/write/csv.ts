// One CSV cell, as query --format csv and report --format csv write it (RFC 4180 quoting).
// Guarded against formula injection by default (OWASP's rule): a cell that starts with =, +, -,
// @, a tab or a carriage return is prefixed with a single quote, so a spreadsheet shows it as
// text instead of running it. Plain numbers (-1, +3.5) are left alone: they cannot be formulas.
// `raw` turns the guard off for tools that read the CSV themselves.

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?\d+(\.\d+)?$/;

export function csvCell(value: string, raw = false): string {
  const guarded = !raw && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
