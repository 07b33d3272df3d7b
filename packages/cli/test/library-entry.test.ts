import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as ts from 'typescript';
import { isBuiltinModule, moduleClosure, packageName, selfContainedClosure } from '../../../scripts/package/bundle-closure';
import { CLI_LIBRARY_ENTRY } from '../../../scripts/package/cli-entry';

const ROOT = path.join(__dirname, '..', '..', '..');
const ENTRY_SOURCE = path.join(ROOT, CLI_LIBRARY_ENTRY.replace(/^lib\//, 'src/') + '.ts');

/** Every module specifier of the TypeScript files under `dir`, with its file. */
function specifiersUnder(dir: string): Array<{ file: string; specifier: string }> {
  const found: Array<{ file: string; specifier: string }> = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const imported of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) found.push({ file, specifier: imported.fileName });
  }
  return found;
}

describe('the CLI\'s entry into the library (src/cli-support.ts), which the CLI package bundles', () => {
  test('what it reaches imports no aws-cdk-lib, no constructs: only Node\'s built-in modules and the CLI\'s own dependencies', () => {
    const cli = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages', 'cli', 'package.json'), 'utf8'));
    const allowed = Object.keys(cli.dependencies).filter((name) => name !== 'cdk-cis-log-monitoring');
    expect(allowed).not.toContain('aws-cdk-lib');
    expect(allowed).not.toContain('constructs');
    const closure = selfContainedClosure(ENTRY_SOURCE, ['.ts'], allowed);
    // The live adapter's SDK implementation is shared with the self-audit function: its @aws-sdk clients are the CLI's.
    const packages = [...new Set(closure.external.map((e) => e.specifier).filter((s) => !isBuiltinModule(s)))];
    expect(packages.filter((s) => !allowed.includes(packageName(s)))).toEqual([]);
    expect(closure.external.map((e) => e.specifier)).toContain('@aws-sdk/client-cloudtrail');
    expect(closure.files).toContain(ENTRY_SOURCE);
    // not vacuous: the entry reaches the catalog and the engine, and they name built-in modules at most
    expect(closure.files.length).toBeGreaterThan(10);
    expect(closure.files).not.toContain(path.join(ROOT, 'src', 'index.ts'));
  });

  test('the CLI package\'s sources import the library through the entry only (what the pack bundles is all they need)', () => {
    const library = specifiersUnder(path.join(ROOT, 'packages', 'cli', 'src')).filter((s) => /^cdk-cis-log-monitoring(\/|$)/.test(s.specifier));
    expect(library.length).toBeGreaterThan(10);
    expect(library.filter((s) => s.specifier !== `cdk-cis-log-monitoring/${CLI_LIBRARY_ENTRY}`)).toEqual([]);
  });
});

describe('the closure the pack computes (scripts/package/bundle-closure.ts)', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-closure-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  }

  test('follows import, export from, require and import() through files and index files, and names what is not relative', () => {
    write({
      'entry.js': 'const a = require("./a");\nexports.b = import("./b");\n',
      'a.js': 'const fs = require("node:fs");\nconst data = require("./data.json");\n',
      'b/index.js': 'export * from "../c";\n',
      'c.js': 'import { x } from "./a";\n',
      'data.json': '{}',
      'unreached.js': 'require("aws-cdk-lib");\n',
    });
    const closure = moduleClosure(path.join(dir, 'entry.js'), ['.js', '.json']);
    expect(closure.files).toEqual(['a.js', 'b/index.js', 'c.js', 'data.json', 'entry.js'].map((f) => path.join(dir, f)));
    expect(closure.external).toEqual([{ file: path.join(dir, 'a.js'), specifier: 'node:fs' }]);
    expect(() => selfContainedClosure(path.join(dir, 'entry.js'), ['.js', '.json'])).not.toThrow();
  });

  test.each([
    ['require("aws-cdk-lib")', 'aws-cdk-lib'],
    ['import { Construct } from "constructs"', 'constructs'],
    ['import type { Stack } from "aws-cdk-lib"', 'aws-cdk-lib'],
    ['export { Duration } from "aws-cdk-lib/core"', 'aws-cdk-lib/core'],
    ['const x = import("left-pad")', 'left-pad'],
  ])('a bundled file that has %s fails the pack, naming the file and %s', (statement, specifier) => {
    write({ 'entry.ts': 'export * from "./deep/inner";\n', 'deep/inner.ts': `import * as path from 'path';\n${statement};\n` });
    expect(() => selfContainedClosure(path.join(dir, 'entry.ts'), ['.ts'])).toThrow(`deep/inner.ts imports '${specifier}'`);
    // Allowing another package (what the CLI depends on) does not allow this one.
    expect(() => selfContainedClosure(path.join(dir, 'entry.ts'), ['.ts'], ['@aws-sdk/client-sns'])).toThrow(`deep/inner.ts imports '${specifier}'`);
  });

  test('an allowed package (the CLI\'s dependency) passes, by scope/name with or without a subpath', () => {
    write({ 'entry.ts': 'import { SNSClient } from "@aws-sdk/client-sns";\nimport "@aws-sdk/client-sns/dist-cjs";\n' });
    expect(() => selfContainedClosure(path.join(dir, 'entry.ts'), ['.ts'], ['@aws-sdk/client-sns'])).not.toThrow();
    expect(() => selfContainedClosure(path.join(dir, 'entry.ts'), ['.ts'], ['@aws-sdk/client-sts'])).toThrow(/imports '@aws-sdk\/client-sns'/);
  });

  test('a relative import that resolves to no file fails', () => {
    write({ 'entry.ts': 'import "./missing";\n' });
    expect(() => moduleClosure(path.join(dir, 'entry.ts'), ['.ts'])).toThrow(/cannot resolve '.\/missing'/);
  });
});
