// The library surface: what a user calls, and the types of its arguments and results. Nothing
// here prints or exits; errors are DomfleetError subclasses. The API report in
// etc/domfleet.api.md records this surface, so a change to it shows in review.

// Inputs: files, folders, globs → the documents a fleet call reads.
export { discover } from './core/read/inventory.js';
export type { DiscoverOptions, Inventory as Discovered, InventoryEntry } from './core/read/inventory.js';
export type { FileOutcome, FleetInputOptions } from './core/fleet/fleet.js';
export { DEFAULT_MAX_FILE_SIZE } from './core/read/read-file.js';

// query
export { query, queryFleet } from './core/query/query.js';
export type { QueryOptions, QueryResult, QueryFileResult, QuerySummary } from './core/query/query.js';
export type { FileMatches } from './core/query/query-job.js';
export type { ResultItem, EngineChoice, Engine } from './core/engines/compiled-query.js';
export { listSavedQueries } from './core/query/saved-queries.js';
export type { SavedQuery } from './core/query/saved-queries.js';
export { LIBVIRT_NAMESPACES } from './core/engines/namespaces.js';

// normalize, diff, migrate, transform: one document, or a fleet streamed file by file.
export type { RewriteResult } from './core/rewrite/rewrite-result.js';
export { normalize } from './core/normalize/normalize.js';
export type { NormalizeOptions } from './core/normalize/normalize.js';
export { normalizeFleet, migrateFleet, transformFleet, diffDefinitions as diff } from './core/rewrite/rewrite-fleet.js';
export type { NormalizeFleetOptions, NormalizeFileResult, FileVerdict, FleetSummary, DiffResult, TransformSpec } from './core/rewrite/rewrite-fleet.js';
export type { NormalizedFile } from './core/rewrite/rewrite-job.js';
export { migrate, migrationRules } from './core/migrate/migrate.js';
export type { MigrateOptions, MigrateResult, MigrationTarget, Change } from './core/migrate/migrate.js';
export { transform, listTransforms } from './core/transform/transform.js';
export type { TransformDescription, TransformParam } from './core/transform/transform.js';

// validate
export { validate, validateFleet, DEFAULT_SCHEMA_DIR } from './core/validate/validate.js';
export type { ValidateOptions, ValidateSummary, SchemaProblem, FileValidation } from './core/validate/validate.js';

// Live hosts, through libvirt's client (virsh): every fleet call also takes connect/hostsFile/live.
export { fetchFleet } from './core/fetch/fetch.js';
export type { FetchOptions, FetchSummary, FetchChange } from './core/fetch/fetch.js';
export type { LiveReadOptions } from './core/live/live-fleet.js';
export { VirshMissingError } from './core/live/virsh.js';

// lint
export { lint, lintFleet } from './core/lint/lint.js';
export type { LintOptions, LintResult, LintFinding, ActiveRule, Severity, LintPolicy, FileLint } from './core/lint/lint.js';

// report
export { report, inventory } from './core/report/report.js';
export type { Inventory, ReportOptions, ReportDomain, HostSummary } from './core/report/report.js';
export type { DomainRecord, DiskRecord, NicRecord, GraphicsRecord } from './core/report/inventory-job.js';

// Writing files back safely (atomic, symlink- and hard-link-aware, locked against other runs).
export { writeAtomic, replaceFile } from './core/write/write.js';
export type { AtomicWriteOptions, ReplaceOptions, ReplaceOutcome } from './core/write/write.js';

// Errors
export {
  DomfleetError, UsageError, QueryError, InputError, NotADomainError, TransformError, RuleError,
  UnsafeMigrationError, StylesheetError,
} from './core/errors.js';
export { NotWrittenError } from './core/write/write.js';
