// The files a module needs, transitively: every relative import, export ... from, require() and import() of the
// entry and of each file it reaches (TypeScript's pre-processor finds them in .ts, .js and .d.ts alike), and every
// other module named on the way (`external`). The CLI's pack bundles exactly the closure of the library's CLI
// entry, and fails when the closure names a package other than the CLI's own dependencies (Node's built-in modules
// aside): the CLI is installed without aws-cdk-lib, constructs or any other dependency of the library.
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
// A build script: TypeScript is a devDependency of the workspace, never of a published package.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as ts from 'typescript';

/** A non-relative module named by a file of the closure. */
export interface ExternalImport {
  /** The file (absolute path). */
  readonly file: string;
  /** The module as written (`aws-cdk-lib`, `node:fs`, `fs`). */
  readonly specifier: string;
}

/** The closure of an entry module. */
export interface ModuleClosure {
  /** Every file reached, the entry included (absolute paths, sorted). */
  readonly files: string[];
  /** Every non-relative module named by those files. */
  readonly external: ExternalImport[];
}

/**
 * The closure of `entry`. A relative specifier resolves to the first file that exists among `spec`, `spec + ext`
 * and `spec/index + ext`, for each of `extensions` in order (['.ts'] for sources, ['.js', '.json'] for compiled
 * code, ['.d.ts'] for declarations); one that resolves to nothing throws.
 */
export function moduleClosure(entry: string, extensions: readonly string[]): ModuleClosure {
  const files = new Set<string>();
  const external: ExternalImport[] = [];
  const pending = [path.resolve(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (file.endsWith('.json')) continue;
    const { importedFiles, referencedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of [...importedFiles, ...referencedFiles]) {
      if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
        pending.push(resolveRelative(file, specifier, extensions));
      } else {
        external.push({ file, specifier });
      }
    }
  }
  return { files: [...files].sort(), external };
}

/** Whether `specifier` is one of Node's built-in modules (`fs`, `node:fs`, `fs/promises`). */
export function isBuiltinModule(specifier: string): boolean {
  return builtinModules.includes(specifier.replace(/^node:/, ''));
}

/**
 * The closure of `entry` for a bundle that must run with nothing installed beside it but `allowed` (package names,
 * e.g. the CLI's declared dependencies; a subpath `pkg/x` counts as `pkg`): throws, naming each file and module, when
 * a file of the closure names a module that is neither one of Node's built-ins nor an allowed package.
 */
export function selfContainedClosure(entry: string, extensions: readonly string[], allowed: readonly string[] = []): ModuleClosure {
  const closure = moduleClosure(entry, extensions);
  const packages = closure.external.filter((e) => !isBuiltinModule(e.specifier) && !allowed.includes(packageName(e.specifier)));
  if (packages.length > 0) {
    throw new Error(`${path.basename(entry)} must need nothing but its own files, Node's built-in modules`
      + `${allowed.length > 0 ? ` and ${allowed.join(', ')}` : ''}, but:\n`
      + packages.map((e) => `  ${path.relative(process.cwd(), e.file)} imports '${e.specifier}'`).join('\n'));
  }
  return closure;
}

/** The package a specifier names: `@scope/name` or `name` (without a subpath). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveRelative(from: string, specifier: string, extensions: readonly string[]): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, ...extensions.map((ext) => base + ext), ...extensions.map((ext) => path.join(base, 'index' + ext))];
  const found = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  if (found === undefined) throw new Error(`${from}: cannot resolve '${specifier}' (tried ${candidates.join(', ')})`);
  return found;
}
