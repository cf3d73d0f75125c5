// What normalize, migrate and transform give back, the same way for all three: the document's
// text after the command, and whether that differs from the input's bytes. "Nothing changed"
// is always { text: the input as it was, changed: false }.
import { isUtf8 } from 'node:buffer';

export interface RewriteResult {
  /** The whole document after the command (the input itself when nothing changed). */
  text: string;
  /** False when the input's bytes are exactly `text` already. */
  changed: boolean;
}

export function asBytes(xml: string | Uint8Array): Buffer {
  return typeof xml === 'string' ? Buffer.from(xml) : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
}

/** The input as text: UTF-8 without a BOM, or (bytes that are not UTF-8) ISO-8859-1. */
export function sourceText(bytes: Buffer, decoded?: string): string {
  return isUtf8(bytes) ? bytes.toString('utf8').replace(/^\uFEFF/, '') : decoded ?? bytes.toString('latin1');
}

/** The result for an input and a command's new text (null: the command had nothing to do). */
export function rewriteResult(bytes: Buffer, text: string | null): RewriteResult {
  if (text === null) return { text: sourceText(bytes), changed: false };
  return { text, changed: !bytes.equals(Buffer.from(text)) };
}
