import { readFileSync } from 'fs';
import { join } from 'path';
import { checkSections } from '../../scripts/docs/check-rules-markdown';
import { fillSections } from '../../scripts/docs/readme-sections';
import { RULES } from '../../src/verdicts/rules';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'check.md'), 'utf8');

describe('docs/check.md', () => {
  test('the rule table is generated from the rule registry (run `npx projen docs:readme` after changing a rule)', () => {
    expect(fillSections(doc, checkSections())).toBe(doc);
  });

  test('every rule is listed with a citation (an AWS documentation URL or a CIS section)', () => {
    for (const rule of RULES) {
      expect(doc).toContain(`| \`${rule.id}\` |`);
      expect(rule.citation).toMatch(/https:\/\/docs\.aws\.amazon\.com\/|CIS AWS Foundations Benchmark/);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});
