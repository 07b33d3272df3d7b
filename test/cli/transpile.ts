import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Transpiles src/ (and the named extra files under the repository root) to JavaScript in a temporary
 * directory, so that a child process can run the CLI without a prior `jsii` build. Returns the directory,
 * which mirrors the repository layout (`<dir>/src/cli/main.js`).
 */
export function transpileForChildProcess(extraFiles: string[] = []): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-cli-'));
  const files = [...listTs(path.join(ROOT, 'src')), ...extraFiles.map(f => path.join(ROOT, f))];
  for (const file of files) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const target = path.join(out, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  // main.js reads the version from ../../package.json; modules resolve node_modules from the repository.
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(out, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  return out;
}

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTs(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
