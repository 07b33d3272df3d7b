import { readFileSync } from 'fs';
import { join } from 'path';
import { CATALOG_PAGE, catalogSections, fillSections } from '../../scripts/docs/readme-sections';

const page = readFileSync(join(__dirname, '..', '..', CATALOG_PAGE), 'utf8');

describe('docs/catalog.md', () => {
  test('catalog sections are generated from the catalog (run `npx projen docs:readme` after changing it)', () => {
    expect(fillSections(page, catalogSections(), CATALOG_PAGE)).toBe(page);
  });

  test('a missing marker is reported, naming the page', () => {
    expect(() => fillSections('no markers', { controls: 'x' }, CATALOG_PAGE)).toThrow('docs/catalog.md lacks the markers <!-- generated:controls:start -->');
  });
});
