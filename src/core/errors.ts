// Per-file input errors, kept apart from the parser so modules that only report them load no WebAssembly.
export class InputError extends Error {
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

/** An expression that does not compile or cannot run (a usage error, not a per-file one). */
export class QueryError extends Error {}
