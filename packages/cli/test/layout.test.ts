import * as fs from 'fs';
import * as path from 'path';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as ts from 'typescript';

// The layout main.ts's header describes: shared folders (input/, report/, account/, aws/) and the core files never
// import a command, no command imports another, and each command is declared by commands/<name>/command.ts.
const SRC = path.join(__dirname, '..', 'src');

/** Every relative import of the CLI's sources: the importing file and the imported file, both relative to src/. */
function relativeImports(): Array<{ from: string; to: string }> {
  const found: Array<{ from: string; to: string }> = [];
  for (const entry of fs.readdirSync(SRC, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const imported of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      found.push({ from: path.relative(SRC, file), to: path.relative(SRC, path.resolve(path.dirname(file), imported.fileName)) });
    }
  }
  return found;
}

/** `commands/<name>/...` -> name; anything else -> undefined. */
function commandOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  return parts[0] === 'commands' && parts.length > 2 ? parts[1] : undefined;
}

describe('the CLI package\'s layout (packages/cli/src)', () => {
  const imports = relativeImports();

  test('only commands.ts (the command table) imports a command from outside commands/', () => {
    // not vacuous: the table loads every command, and the shared folders are imported
    expect(imports.filter((i) => i.from === 'commands.ts' && commandOf(i.to) !== undefined).length).toBeGreaterThanOrEqual(6);
    expect(imports.filter((i) => /^(input|report|account|aws)\//.test(i.to)).length).toBeGreaterThan(20);
    expect(imports.filter((i) => i.from !== 'commands.ts' && commandOf(i.from) === undefined && commandOf(i.to) !== undefined)).toEqual([]);
  });

  test('no command imports another command', () => {
    const across = imports.filter((i) => commandOf(i.from) !== undefined && commandOf(i.to) !== undefined && commandOf(i.from) !== commandOf(i.to));
    expect(across).toEqual([]);
  });

  test('every command folder declares its command in command.ts, and the command table loads exactly those', () => {
    const folders = fs.readdirSync(path.join(SRC, 'commands')).sort();
    expect(folders).toEqual(['audit', 'catalog', 'check', 'hunt', 'replay', 'verify']);
    for (const name of folders) expect(fs.existsSync(path.join(SRC, 'commands', name, 'command.ts'))).toBe(true);
    const loaded = imports.filter((i) => i.from === 'commands.ts' && commandOf(i.to) !== undefined).map((i) => i.to);
    expect([...new Set(loaded)].sort()).toEqual(folders.map((name) => path.join('commands', name, 'command')));
  });
});
