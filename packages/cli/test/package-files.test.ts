import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const CLI = path.join(__dirname, '..');

describe('the CLI package', () => {
  test('ships the replay\'s record scanner (lib/scanner.wasm), which npm test builds first', () => {
    expect(fs.existsSync(path.join(CLI, 'lib', 'scanner.wasm'))).toBe(true);
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: CLI, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
    expect(pack.files.map(f => f.path)).toContain('lib/scanner.wasm');
  });

  test('the scanner module is WebAssembly with SIMD that this Node validates', () => {
    const bytes = fs.readFileSync(path.join(CLI, 'lib', 'scanner.wasm'));
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    expect((globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate(bytes)).toBe(true);
  });
});
