import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// DuckDB reads a path it is given as a pattern, not as data (src/common/local_file_system.cpp, LocalGlobResult):
// - `*`, `?` and `[` make it a glob (FileSystem::HasGlob), expanded against the directory listing, so `[x].json`
//   reads `x.json`, and `a?.json` reads `ab.json` too (DuckDB has no escape; the `[[]` bracket form works in the
//   matcher, but a globbed path is also split at `\`, a glob in the first component of an absolute path is not
//   supported, and each one lists its whole directory);
// - a leading `~` is the home directory; a relative path is looked up in `file_search_path`; `s3://` and the like
//   select another file system.
// So hunt gives DuckDB only absolute paths without those characters (absolutePath: no `~`, no scheme, no
// `file_search_path`), and for an absolute path with `*`, `?` or `[`, a symbolic link to it under a safe name in a
// private temporary directory.

/** The characters that make DuckDB glob a path (FileSystem::HasGlob). */
const GLOB_CHARACTERS = /[*?[]/;

/** Whether DuckDB would read this path as a glob pattern. */
export function isDuckDbPattern(p: string): boolean {
  return GLOB_CHARACTERS.test(p);
}

/**
 * The absolute path of a file, naming the same file as `given`: resolved against the working directory, which is
 * exact unless `given` has a `..` component (the kernel takes `..` after a symbolic link physically, path.resolve
 * lexically); then its real path (realpath(3), a system call per file: about 40 us against 1 us).
 */
export function absolutePath(given: string): string {
  return given.split(path.sep).includes('..') ? fs.realpathSync.native(given) : path.resolve(given);
}

/** The paths hunt gives DuckDB for files, each naming exactly that file; `dispose()` removes the links it made. */
export class LiteralPaths {
  private dir: string | undefined;
  private links = 0;

  /**
   * The path DuckDB reads `file` by: its absolute path, or a link to it when that has glob characters.
   * Throws when the file cannot be resolved or linked.
   */
  public forDuckDb(file: string): string {
    const absolute = absolutePath(file);
    if (!isDuckDbPattern(absolute)) return absolute;
    const link = path.join(this.linkDirectory(), `${++this.links}`);
    fs.symlinkSync(absolute, link);
    return link;
  }

  /** Removes the links (and their directory); the files they point to are untouched. */
  public dispose(): void {
    if (this.dir !== undefined) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private linkDirectory(): string {
    if (this.dir === undefined) {
      const dir = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'cis-hunt-')));
      if (isDuckDbPattern(dir)) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`the path has * ? or [, which DuckDB reads as a pattern, and the temporary directory for a link to it (${dir}) `
          + 'has them too; set TMPDIR to a directory without them');
      }
      this.dir = dir;
    }
    return this.dir;
  }
}
