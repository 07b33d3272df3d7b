import * as fs from 'fs';
import * as path from 'path';

/** What the CLI reads from its own package.json at run time. */
export interface CliPackage {
  readonly version: string;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

/** The CLI package's package.json, next to lib/ (or src/ when run from the sources). */
export function cliPackage(): CliPackage {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as CliPackage;
}
