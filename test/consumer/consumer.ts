// A library user's code: every public name and type, imported as users import them, compiled with
// tsc --strict by test/library.test.mjs and then run. Compile errors here mean the surface broke.
import { readFileSync } from 'node:fs';
import {
  discover, query, queryFleet, listSavedQueries, LIBVIRT_NAMESPACES, normalize, normalizeFleet, diff, migrate,
  migrateFleet, migrationRules, transform, transformFleet, listTransforms, report, inventory, writeAtomic, replaceFile,
  validate, validateFleet, DEFAULT_SCHEMA_DIR, lint, lintFleet, fetchFleet, VirshMissingError,
  DEFAULT_MAX_FILE_SIZE, DomfleetError, UsageError, QueryError, InputError, NotADomainError, TransformError,
  RuleError, UnsafeMigrationError, StylesheetError, NotWrittenError,
} from 'domfleet';
import type {
  DiscoverOptions, Discovered, InventoryEntry, FileOutcome, FleetInputOptions, QueryOptions, QueryResult,
  QueryFileResult, QuerySummary, FileMatches, ResultItem, EngineChoice, Engine, SavedQuery, RewriteResult,
  NormalizeOptions, NormalizeFleetOptions, NormalizeFileResult, FileVerdict, FleetSummary, DiffResult,
  NormalizedFile, MigrateOptions, MigrateResult, MigrationTarget, Change, TransformDescription, TransformParam, TransformSpec,
  Inventory, ReportOptions, ReportDomain, HostSummary, LintFinding, DomainRecord, AtomicWriteOptions, ReplaceOptions,
  ReplaceOutcome, ValidateOptions, ValidateSummary, SchemaProblem, FileValidation,
  LintOptions, LintResult, ActiveRule, Severity, LintPolicy, FileLint,
  FetchOptions, FetchSummary, FetchChange, LiveReadOptions,
} from 'domfleet';

export async function main(fleet: string, vmPath: string, scratchFile: string): Promise<string[]> {
  const seen: string[] = [];
  const discoverOptions: DiscoverOptions = { host: 'lab' };
  const fleetInput: FleetInputOptions = { maxFileSize: DEFAULT_MAX_FILE_SIZE, workers: 0 };
  const found: Discovered = await discover([fleet], discoverOptions);
  const first: InventoryEntry | undefined = found.entries[0];
  seen.push(`discover ${found.entries.length} ${first?.host}`);

  const engine: EngineChoice = 'auto';
  const options: QueryOptions = { cache: false, engine, params: { br: 'br0' }, namespaces: LIBVIRT_NAMESPACES };
  const result: QueryResult = await query('bridged-nics', [fleet], options);
  const used: Engine = result.engine;
  for (const file of result.results) {
    const outcome: QueryFileResult = file;
    const matches: FileMatches | undefined = outcome.result;
    const items: ResultItem[] = matches?.items ?? [];
    seen.push(`query ${used} ${file.path} ${items.length}`);
  }
  const summary: QuerySummary = await queryFleet('/domain/name', [fleet], { cache: false }, (r: FileOutcome<FileMatches>) => { void r; });
  seen.push(`queryFleet ${summary.files}`);
  const saved: SavedQuery[] = listSavedQueries();
  seen.push(`saved ${saved.length}`);

  const bytes = readFileSync(vmPath);
  const normalizeOptions: NormalizeOptions = { inactive: true };
  const normal: RewriteResult = normalize(bytes, normalizeOptions);
  seen.push(`normalize ${normal.changed}`);
  const fleetOptions: NormalizeFleetOptions = { withOriginal: true, cache: false };
  const fleetSummary: FleetSummary = await normalizeFleet([fleet], fleetOptions, (f: NormalizeFileResult): FileVerdict => {
    const file: NormalizedFile | undefined = f.result;
    seen.push(`normalizeFleet ${f.relative} ${file?.changed}`);
  });
  seen.push(`files ${fleetSummary.files}`);
  const d: DiffResult = diff({ path: vmPath }, { path: vmPath, bytes: Buffer.from(normal.text) });
  seen.push(`diff ${d.same}`);

  const to: MigrationTarget = 'modern';
  const migrateOptions: MigrateOptions = { to };
  const migrated: MigrateResult = migrate(bytes, migrateOptions);
  const changes: Change[] = migrated.changes;
  seen.push(`migrate ${migrated.changed} ${changes.length} ${Object.keys(migrationRules()).length > 0}`);
  await migrateFleet([fleet], migrateOptions, {}, () => undefined);

  const transforms: TransformDescription[] = listTransforms();
  const param: TransformParam | undefined = transforms[0]?.params[0];
  const tablet: RewriteResult = transform('add-tablet', bytes);
  seen.push(`transform ${transforms.length} ${param?.name} ${tablet.changed}`);
  const spec: TransformSpec = { transform: 'nic-model', params: { model: 'virtio' } };
  await transformFleet([fleet], spec, fleetInput, (f) => { seen.push(`transformFleet ${f.relative} ${f.result?.changed}`); });

  const reportOptions: ReportOptions = { title: 'Lab' };
  const html: string = await report([fleet], { ...reportOptions, format: 'html' });
  const inv: Inventory = await inventory([fleet], reportOptions);
  const domain: ReportDomain | undefined = inv.domains[0];
  const record: DomainRecord | undefined = domain;
  const host: HostSummary | undefined = inv.hosts[0];
  const findings: LintFinding[] = inv.findings;
  seen.push(`report ${html.startsWith('<!DOCTYPE html>')} ${record?.name !== undefined} ${host?.domains} ${findings.length >= 0}`);
  // Files that are not domains of the fleet are not dropped silently: they are in errors.
  const withMissing: Inventory = await inventory([fleet, `${fleet}/no-such-file.xml`], reportOptions);
  seen.push(`inventory errors ${withMissing.errors.length} ${withMissing.errors[0]?.reason}`);

  const validateOptions: ValidateOptions = { schemaDir: DEFAULT_SCHEMA_DIR, workers: 0 };
  const verdict: { valid: boolean; problems: SchemaProblem[] } = validate(bytes, validateOptions);
  const validated: ValidateSummary = await validateFleet([fleet], validateOptions, (o: FileOutcome<FileValidation>) => { seen.push(`validated ${o.result?.problems.length}`); });
  seen.push(`validate ${verdict.valid} ${validated.files} ${validated.invalid}`);

  const lintOptions: LintOptions = { config: false, bridges: ['br0'], failOn: 'error' as Severity, workers: 0 };
  const linted: LintResult = await lint(fleet, lintOptions);
  const rules: ActiveRule[] = linted.rules;
  const policy: LintPolicy = { disable: ['legacy-syntax'] };
  const streamed: LintResult = await lintFleet([fleet], { ...lintOptions, disable: policy.disable }, (o: FileOutcome<FileLint>) => { seen.push(`linted ${o.result?.domain !== undefined}`); });
  // Live hosts: the options every fleet call takes, and fetch (not run here: it needs virsh).
  const liveOptions: LiveReadOptions = { inactive: true, timeoutMs: 10_000 };
  const fetchOptions: FetchOptions = { connect: ['test:///default'], live: liveOptions, prune: false };
  const fetcher: (dir: string, o: FetchOptions) => Promise<FetchSummary> = fetchFleet;
  const change: FetchChange = 'added';
  seen.push(`live ${typeof fetcher} ${fetchOptions.connect?.length} ${change} ${new VirshMissingError().message.includes('libvirt-clients')}`);
  seen.push(`lint ${linted.findings.length > 0} ${rules.length} ${streamed.findings.every((f: LintFinding) => f.rule !== 'legacy-syntax')}`);

  const writeOptions: AtomicWriteOptions = { createFolders: false };
  writeAtomic(scratchFile, normal.text, writeOptions);
  const replaceOptions: ReplaceOptions = {};
  const replaced: ReplaceOutcome = replaceFile(scratchFile, normal.text, replaceOptions);
  seen.push(`write ${replaced}`);

  for (const E of [DomfleetError, UsageError, QueryError, InputError, NotADomainError, TransformError, RuleError, UnsafeMigrationError, StylesheetError, NotWrittenError]) {
    seen.push(`error ${E.name} ${E.prototype instanceof DomfleetError || E === DomfleetError}`);
  }
  try {
    normalize('<network/>');
  } catch (e) {
    if (e instanceof NotADomainError) seen.push(`caught ${e.rootName}`);
  }
  return seen;
}
