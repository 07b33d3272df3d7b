import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const CLI = path.join(__dirname, '..');

/** The part of Node's WebAssembly global used here (the CLI's TypeScript has no DOM library). */
interface WasmApi {
  Module: { new(bytes: Uint8Array): object; imports(module: object): unknown[] };
  validate(bytes: Uint8Array): boolean;
}

describe('the CLI package', () => {
  test('ships the replay\'s record scanner (lib/scanner.wasm), which npm test builds first', () => {
    expect(fs.existsSync(path.join(CLI, 'lib', 'scanner.wasm'))).toBe(true);
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: CLI, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
    expect(pack.files.map(f => f.path)).toContain('lib/scanner.wasm');
  });

  test('the scanner module is WebAssembly that this Node validates, and imports nothing (README: no host functions)', () => {
    const bytes = fs.readFileSync(path.join(CLI, 'lib', 'scanner.wasm'));
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    expect(wasm.validate(bytes)).toBe(true);
    expect(wasm.Module.imports(new wasm.Module(bytes))).toEqual([]);
  });
});
