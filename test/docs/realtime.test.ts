import { readFileSync } from 'fs';
import { join } from 'path';
import { fillSections } from '../../scripts/docs/readme-sections';
import { realtimeSections, renderRealtimeVerdicts } from '../../scripts/docs/realtime-markdown';
import { catalogVariants } from '../../src/catalog/variants';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'realtime.md'), 'utf8');

describe('docs/realtime.md', () => {
  test('the verdict tables are generated from the catalog and the compiler (run `npx projen docs:readme` after changing either)', () => {
    expect(fillSections(doc, realtimeSections())).toBe(doc);
  });

  test('every pattern of the catalog has a row: exact or refused with a reason', () => {
    const rows = renderRealtimeVerdicts().split('\n').filter(line => /^\| [A-Z]/.test(line) && !line.startsWith('| Pattern set'));
    expect(rows).toHaveLength([...catalogVariants()].length);
    for (const row of rows) expect(row).toMatch(/\| (exact \| \d+|refused: .+ \| —) \|$/);
  });
});
