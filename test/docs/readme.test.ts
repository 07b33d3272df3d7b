import { readFileSync } from 'fs';
import { join } from 'path';
import { fillSections, readmeSections } from '../../scripts/docs/readme-sections';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  test('catalog sections are generated from the catalog (run `npx projen docs:readme` after changing it)', () => {
    expect(fillSections(readme, readmeSections())).toBe(readme);
  });

  test('quick start is the two commands', () => {
    expect(readme).toContain('npm ci && npx cdk synth');
    expect(readme).toContain('npm test');
  });

  test('a missing marker is reported', () => {
    expect(() => fillSections('no markers', { controls: 'x' })).toThrow('README.md lacks the markers <!-- generated:controls:start -->');
  });
});
