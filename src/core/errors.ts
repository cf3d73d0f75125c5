// Every error domfleet means to raise, in one place. Core code throws these and never prints;
// the CLI (src/cli/main.ts for the run, diagnostics.ts per file) turns them into messages and
// exit codes. Anything that is not a DomfleetError reaching the user is a bug in domfleet and is
// reported as an internal error. No WebAssembly here: modules that only report errors load none.

export class DomfleetError extends Error {
  override name = this.constructor.name;
}

/** The call itself is wrong (options, parameters, an expression): nothing was read. */
export class UsageError extends DomfleetError {}

/** An expression that does not compile or cannot run (a usage error, not a per-file one). */
export class QueryError extends UsageError {}

/** A stylesheet (built-in or the user's) that cannot be used, or failed on a file. */
export class TransformError extends DomfleetError {}

/** domfleet's own compiled stylesheets are missing: the install is incomplete. */
export class StylesheetError extends DomfleetError {}

/** Per-file input errors: the file could not be read, parsed or accepted. */
export class InputError extends DomfleetError {
  constructor(readonly path: string, readonly line: number | null, readonly reason: string) {
    super(line === null ? `${path}: ${reason}` : `${path}:${line}: ${reason}`);
  }
}

/** A well-formed file whose root is not <domain>: skipped with a notice, an error under --strict. */
export class NotADomainError extends InputError {
  constructor(path: string, readonly rootName: string) {
    super(path, null, `not a domain definition (root element is <${rootName}>)`);
  }
}

/** The namespace of every error code a stylesheet raises (declared in stylesheets/lib/errors.xsl). */
export const ERROR_NAMESPACE = 'urn:domfleet:errors';

/** A rule in one of domfleet's stylesheets refused the document (error(QName(ERROR_NAMESPACE, …))). */
export class RuleError extends DomfleetError {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** A migration that cannot be done safely (err:unsafe-migration); --force does it anyway. */
export class UnsafeMigrationError extends RuleError {}

/**
 * The local name of a stylesheet error's code when it is one of domfleet's (SaxonJS gives codes
 * as EQNames, Q{namespace}local), or null for the processor's own errors (XPTY0004 …).
 */
export function domfleetErrorCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  const prefix = `Q{${ERROR_NAMESPACE}}`;
  return typeof code === 'string' && code.startsWith(prefix) ? code.slice(prefix.length) : null;
}

/** A SaxonJS error from one of domfleet's stylesheets as a RuleError, or the error unchanged (a bug). */
export function fromStylesheet(e: unknown): unknown {
  const code = domfleetErrorCode(e);
  if (code === null) return e;
  const message = String((e as Error).message).replace(new RegExp(`^.*?${code}:?\\s*`, 's'), '');
  return code === 'unsafe-migration' ? new UnsafeMigrationError(code, `cannot migrate safely: ${message}`) : new RuleError(code, message);
}
