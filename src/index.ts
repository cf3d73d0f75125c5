// The library surface: every command's core, typed, returning data and never printing.
export { query, queryFleet, resolveExpression } from './core/query.js';
export type { QueryOptions, QueryResult, QueryFileResult, QuerySummary } from './core/query.js';
export type { ResultItem, EngineChoice, Engine } from './core/compiled-query.js';
export { compileQuery, QueryError } from './core/compiled-query.js';
export { discover } from './core/inventory.js';
export type { InventoryEntry } from './core/inventory.js';
export { parseDomain } from './core/parse.js';
export { InputError, NotADomainError } from './core/errors.js';
export { listSavedQueries, loadSavedQuery } from './core/saved-queries.js';
export { LIBVIRT_NAMESPACES } from './core/namespaces.js';
export { normalize, normalizePrepared, prepare, StylesheetError } from './core/normalize.js';
export type { NormalizeOptions } from './core/normalize.js';
export { normalizeFleet, diffDefinitions as diff } from './core/normalize-fleet.js';
export type { NormalizeFileResult, DiffResult } from './core/normalize-fleet.js';
export { writeAtomic } from './core/write.js';
export { migrate, migratePrepared, migrationRules, UnsafeMigrationError } from './core/migrate.js';
export type { MigrateOptions, MigratedDocument, Change } from './core/migrate.js';
export { migrateFleet } from './core/normalize-fleet.js';
