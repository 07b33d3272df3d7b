// Every property-based test runs with the printed, reproducible seed of test/support/seed.ts (docs/testing.md).
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_FC_SEED, seedFrom } from './seed';

const ROOT = path.resolve(__dirname, '..', '..');
const TEST_DIRS = ['test', 'packages/cli/test', 'bench', 'src', 'packages/cli/src', 'projenrc'];

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const files = TEST_DIRS.flatMap(d => tsFiles(path.join(ROOT, d)));
const rel = (f: string) => path.relative(ROOT, f);
const usesFastCheck = (text: string) => /from ['"]fast-check['"]|require\(['"]fast-check['"]\)/.test(text);

describe('every property-based test has a printed seed that reproduces it', () => {
  test('each test file that uses fast-check imports test/support/seed.ts', () => {
    const suites = files.filter(f => /\.test\.ts$/.test(f) && usesFastCheck(fs.readFileSync(f, 'utf8')));
    expect(suites.length).toBeGreaterThanOrEqual(8);
    const unseeded = suites.filter(f => !/^import (?:\{[^}]*\bFC_SEED\b[^}]*\} from )?['"][./]+(?:test\/)?support\/seed['"];$/m.test(fs.readFileSync(f, 'utf8')));
    expect(unseeded.map(rel)).toEqual([]);
  });

  test('no property test fixes its own seed (which would not be the printed one) or draws from Math.random', () => {
    const offenders = files.filter(f => f !== path.join(__dirname, 'seed.ts') && f !== __filename).flatMap(f => {
      const text = fs.readFileSync(f, 'utf8');
      if (!usesFastCheck(text) && !/\.test\.ts$/.test(f)) return [];
      const found: string[] = [];
      if (usesFastCheck(text) && /\bseed:\s*(?!FC_SEED\b)[\w.]+/.test(text)) found.push(`${rel(f)}: a seed other than FC_SEED`);
      if (/Math\.random\(/.test(text)) found.push(`${rel(f)}: Math.random`);
      return found;
    });
    expect(offenders).toEqual([]);
  });

  test('FC_SEED: unset is the default, an integer is itself, "random" draws one, anything else is refused', () => {
    expect(seedFrom(undefined)).toBe(DEFAULT_FC_SEED);
    expect(seedFrom('')).toBe(DEFAULT_FC_SEED);
    expect(seedFrom('42')).toBe(42);
    expect(seedFrom('-7')).toBe(-7);
    expect(seedFrom('random', () => 0.5)).toBe(2 ** 30);
    for (const bad of ['x', '1.5', '1e40', 'NaN']) expect(() => seedFrom(bad)).toThrow(/FC_SEED must be an integer/);
  });
});
