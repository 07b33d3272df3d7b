import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join } from 'path';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The relative links of a Markdown page (anchors dropped) that point to no file or folder of the repository. */
function brokenLinks(page: string, markdown = readFileSync(join(ROOT, page), 'utf8')): string[] {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const targets = [...text.matchAll(/\]\(((?!https?:|mailto:|#)[^)#\s]+)(?:#[^)]*)?\)/g)].map(m => m[1]);
  return targets.filter(target => {
    try {
      statSync(join(ROOT, dirname(page), target));
      return false;
    } catch {
      return true;
    }
  });
}

describe('README', () => {
  test('quick start is the two commands', () => {
    expect(readme).toContain('npm ci && npx cdk synth');
    expect(readme).toContain('npm test');
  });

  test('a newcomer reads it in five minutes: at most 300 lines; each feature has its page under docs/', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });

  test('it links every page under docs/', () => {
    const pages = readdirSync(join(ROOT, 'docs')).filter(f => f.endsWith('.md'));
    expect(pages.filter(page => !readme.includes(`(docs/${page}`))).toEqual([]);
  });
});

test.each(['README.md', ...readdirSync(join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`)])('%s links only to files that exist', (page) => {
  expect(brokenLinks(page)).toEqual([]);
});

test('a link to a missing file is found', () => {
  expect(brokenLinks('docs/x.md', '[a](catalog.md#the-controls) [b](../README.md) [c](nope.md) [d](https://x.org/y.md)\n```\n[e](in-code.md)\n```\n')).toEqual(['nope.md']);
});
