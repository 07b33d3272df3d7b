// Each command's page (docs/<command>.md) lists, in its option tables, exactly the options its `--help` prints:
// the help comes from the command's declaration, the page is written by hand, and this test keeps the two in step.
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { runCli } from './support/run-cli';
import { COMMANDS } from '../src/commands';

const DOCS = join(__dirname, '..', '..', '..', 'docs');

/**
 * The long option names (without `--`) in the first column of the page's option tables: every Markdown table whose
 * header's first cell is "Option" (a page may split them, as audit.md does for `--organization`).
 */
export function documentedOptions(markdown: string): string[] {
  const names: string[] = [];
  let inTable = false;
  for (const line of markdown.split('\n')) {
    const cells = line.startsWith('|') ? line.split(/(?<!\\)\|/).slice(1) : undefined;
    if (!cells) {
      inTable = false;
    } else if (!inTable) {
      inTable = /^\s*Option\s*$/.test(cells[0]);
    } else if (!/^\s*:?-{3}/.test(cells[0])) {
      names.push(...[...cells[0].matchAll(/--([a-z][\w-]*)/g)].map(m => m[1]));
    }
  }
  return [...new Set(names)].sort();
}

/** The long option names the usage text lists. */
export function helpOptions(help: string): string[] {
  return [...new Set([...help.matchAll(/^ {2}(?:-\w, )?--([a-z][\w-]*)/gm)].map(m => m[1]))].sort();
}

describe.each(Object.keys(COMMANDS).sort())('docs/%s.md', (command) => {
  test('lists exactly the options of `--help` in its option tables', async () => {
    const page = join(DOCS, `${command}.md`);
    expect(existsSync(page)).toBe(true);
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    const fromHelp = helpOptions(run.stdout);
    expect(fromHelp).toContain('help');
    expect(documentedOptions(readFileSync(page, 'utf8'))).toEqual(fromHelp);
  });
});

test('the option readers see what they should', () => {
  const page = '# x\n\n| Option | Meaning |\n| --- | --- |\n| `--a N`, `--b` | x `--not-this` |\n| `-h`, `--help` | usage |\n\n| Code | Meaning |\n| --- | --- |\n| `--c` | |\n\n| Option | Default |\n|---|---|\n| `--d` | |\n';
  expect(documentedOptions(page)).toEqual(['a', 'b', 'd', 'help']);
  expect(helpOptions('Usage: p x [options]\n\nOptions:\n  --json        print `--x`\n  -h, --help    show this help\n')).toEqual(['help', 'json']);
});
