import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const LIBRARY = 'cdk-cis-log-monitoring';

/**
 * Transpiles the library (src/) and the CLI package (packages/cli/src/) to JavaScript in a temporary directory, so
 * that a child process can run the CLI without a prior build. The directory is laid out as an installed CLI:
 *
 * - `<dir>/cli/lib/main.js` and `<dir>/cli/package.json`: the CLI package, with the replay's record scanner
 *   (`lib/scanner.wasm`, built by `npx projen compile:scanner`, which `npm test` runs first) when it is built;
 * - `<dir>/node_modules/cdk-cis-log-monitoring/lib/**`: the library it imports (`cdk-cis-log-monitoring/lib/...`);
 * - every other entry of the repository's node_modules linked into `<dir>/node_modules/`.
 *
 * `extraFiles` (paths relative to the repository root) are transpiled to the same relative place under `<dir>`.
 */
export function transpileForChildProcess(extraFiles: string[] = []): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-cli-'));
  const library = path.join(out, 'node_modules', LIBRARY);
  transpileTree(path.join(ROOT, 'src'), path.join(library, 'lib'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(library, 'package.json'));
  transpileTree(path.join(ROOT, 'packages', 'cli', 'src'), path.join(out, 'cli', 'lib'));
  fs.copyFileSync(path.join(ROOT, 'packages', 'cli', 'package.json'), path.join(out, 'cli', 'package.json'));
  const scanner = path.join(ROOT, 'packages', 'cli', 'lib', 'scanner.wasm');
  if (fs.existsSync(scanner)) fs.copyFileSync(scanner, path.join(out, 'cli', 'lib', 'scanner.wasm'));
  for (const file of extraFiles) transpileFile(path.join(ROOT, file), path.join(out, file).replace(/\.ts$/, '.js'));
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry === LIBRARY || entry === '.bin' || entry.startsWith('.')) continue;
    fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(out, 'node_modules', entry), 'dir');
  }
  return out;
}

/** A child process's exit code (null when a signal ended it) and output. */
export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI transpiled into `dir` (transpileForChildProcess) as its own process, as users run it, with exactly
 * the environment `env`; resolves to its exit code and output.
 */
export function runTranspiledCli(dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const main = path.join(dir, 'cli', 'lib', 'main.js');
    const child = spawn(process.execPath, [main, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function transpileTree(from: string, to: string): void {
  for (const file of listTs(from)) transpileFile(file, path.join(to, path.relative(from, file)).replace(/\.ts$/, '.js'));
}

function transpileFile(file: string, target: string): void {
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: file,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, outputText);
}

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTs(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
