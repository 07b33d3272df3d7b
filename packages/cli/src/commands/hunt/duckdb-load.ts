/* eslint-disable @typescript-eslint/no-require-imports */
import { EXIT } from '../../exit-codes';
import { cliPackage } from '../../package-info';

/**
 * DuckDB's Node binding, about 70 MB of native code: an optional dependency of the CLI package, loaded by `hunt`'s
 * DuckDB path alone (replay, audit, verify, check, catalog, `hunt --athena` and `hunt --sql` never load it). npm
 * leaves it out with `--omit=optional`, or where it has no prebuilt binary for the platform.
 */
export const DUCKDB_PACKAGE = '@duckdb/node-api';

export type DuckDb = typeof import('@duckdb/node-api');

/** DuckDB could not be loaded; the message says how to install it. `hunt` exits with `exitCode`. */
export class DuckDbUnavailableError extends Error {
  public readonly exitCode = EXIT.USAGE;

  constructor(cause: unknown) {
    const version = cliPackage().optionalDependencies?.[DUCKDB_PACKAGE];
    const spec = version === undefined ? DUCKDB_PACKAGE : `${DUCKDB_PACKAGE}@${version}`;
    const why = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
    // Not installed: Node found no such package. Anything else (its native binding for this platform missing or
    // unloadable) is a package that is there but cannot load; the same install puts the right one in place.
    const missing = (cause as { code?: unknown } | undefined)?.code === 'MODULE_NOT_FOUND' && why.includes(`'${DUCKDB_PACKAGE}'`);
    super(`DuckDB (${DUCKDB_PACKAGE}) ${missing ? 'is not installed' : 'could not be loaded'}: hunt runs its SQL in DuckDB, `
      + 'an optional dependency of the CLI that npm leaves out with --omit=optional or on a platform without a prebuilt binary.\n'
      + `Install it where the CLI is installed: npm install -g ${spec} (or, in a project, npm install ${spec}).\n`
      + `hunt --athena and hunt --sql run without it. (${why})`);
    this.name = 'DuckDbUnavailableError';
  }
}

let loaded: DuckDb | undefined;

/**
 * DuckDB's module, loaded on first use (a CommonJS require, as the compiled CLI's own imports are); throws
 * DuckDbUnavailableError when it is not installed or cannot load.
 */
export function loadDuckDb(): DuckDb {
  try {
    loaded ??= require('@duckdb/node-api') as DuckDb;
  } catch (e) {
    throw new DuckDbUnavailableError(e);
  }
  return loaded;
}
