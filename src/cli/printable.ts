// Text that reaches a terminal or a line-oriented consumer is made printable: a file name or a
// value holding a newline, a tab or an escape sequence could otherwise fake extra result lines
// or drive the terminal. Backslash, tab, newline and carriage return are written as \\, \t, \n
// and \r; any other control character (C0, DEL, C1) as \xHH, or \u{HHHH} beyond one byte.

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\\\x00-\x1f\x7f-\x9f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\\\x00-\x1f\x7f-\x9f\u2028\u2029]/;

function escapeOne(c: string): string {
  switch (c) {
    case '\\': return '\\\\';
    case '\t': return '\\t';
    case '\n': return '\\n';
    case '\r': return '\\r';
    default: {
      const code = c.codePointAt(0)!;
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    }
  }
}

export function printable(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(UNPRINTABLE, escapeOne) : text;
}
