// Keeps docs/bindings/*.md and the binding test programs in step.
//
// - Docs: every `<!-- bindings:include PATH#REGION -->` line in docs/bindings/*.md (and README.md) is followed by a code
//   block holding the lines between the marker lines `8< [start:REGION]` and `8< [end:REGION]` of PATH
//   (a test program under test/bindings). `npx projen docs:bindings` rewrites the blocks; the check
//   fails when one differs, so the docs show exactly the code that the tests run.
// - Pins: the test programs install aws-cdk-lib and constructs at the versions in package.json's
//   devDependencies (what the library is built and tested with); the check fails when they differ.
import { readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';

export const DOCS_DIR = 'docs/bindings';

const INCLUDE = /^<!-- bindings:include (\S+?)#([\w-]+) -->$/;
const FENCE_LANG: Record<string, string> = { py: 'python', java: 'java', go: 'go', xml: 'xml', txt: 'text', mod: 'text' };

/** The lines between the marker lines (`... 8< [start:REGION]`, `... 8< [end:REGION]`) of a file, dedented. */
export function extractRegion(root: string, path: string, region: string): string {
  const lines = readFileSync(join(root, path), 'utf8').split('\n');
  const marker = (kind: string) => (line: string) => line.includes('8<') && line.includes(`[${kind}:${region}]`);
  const start = lines.findIndex(marker('start'));
  const end = lines.findIndex((line, index) => index > start && marker('end')(line));
  if (start < 0 || end < 0) throw new Error(`${path}: no region "${region}" (marker lines 8< [start:${region}] ... 8< [end:${region}])`);
  // Marker lines of regions nested in this one (a shorter excerpt for the README) are not part of the code shown.
  const body = lines.slice(start + 1, end).filter((line) => !/8<.*\[(start|end):[\w-]+\]/.test(line));
  while (body.length && !body[0].trim()) body.shift();
  while (body.length && !body[body.length - 1].trim()) body.pop();
  const indent = Math.min(...body.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length));
  return body.map((line) => line.slice(indent)).join('\n');
}

/** The document with each include's code block replaced by the current region. */
export function syncDoc(root: string, doc: string): string {
  const lines = doc.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const include = INCLUDE.exec(lines[i].trim());
    if (!include) continue;
    const [, path, region] = include;
    const ext = path.split('.').pop() ?? '';
    // Drop the code block that follows the include (if any), then write the current one.
    let j = i + 1;
    if (lines[j]?.startsWith('```')) {
      j++;
      while (j < lines.length && !lines[j].startsWith('```')) j++;
      j++;
    }
    out.push('```' + (FENCE_LANG[ext] ?? ext), extractRegion(root, path, region), '```');
    i = j - 1;
  }
  return out.join('\n');
}

/** docs/bindings/*.md, and README.md when it has includes: path, current text, synchronized text. */
export function docs(root: string): { path: string; current: string; synced: string }[] {
  const pages = readdirSync(join(root, DOCS_DIR)).filter((name) => name.endsWith('.md')).sort().map((name) => `${DOCS_DIR}/${name}`);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const paths = readme.split('\n').some((line) => INCLUDE.test(line.trim())) ? [...pages, 'README.md'] : pages;
  return paths.map((path) => {
    const current = readFileSync(join(root, path), 'utf8');
    return { path, current, synced: syncDoc(root, current) };
  });
}

/** Where a test program pins aws-cdk-lib or constructs to a version other than package.json's devDependency. */
export function pinProblems(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const cdk: string = pkg.devDependencies['aws-cdk-lib'];
  const constructs: string = pkg.devDependencies.constructs;
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const checks: [string, RegExp, string][] = [
    ['test/bindings/python/requirements.txt', /^aws-cdk-lib==(\S+)$/m, cdk],
    ['test/bindings/python/requirements.txt', /^constructs==(\S+)$/m, constructs],
    ['test/bindings/java/pom.xml', /<cdk\.version>([^<]+)</, cdk],
    ['test/bindings/java/pom.xml', /<constructs\.version>([^<]+)</, constructs],
    ['test/bindings/java/pom.xml', /<cis\.version>([^<]+)</, pkg.version],
    ['test/bindings/go/go.mod', /github\.com\/aws\/aws-cdk-go\/awscdk\/v2 v(\S+)/, cdk],
    ['test/bindings/go/go.mod', /github\.com\/aws\/constructs-go\/constructs\/v10 v(\S+)/, constructs],
  ];
  return checks.flatMap(([path, pattern, wanted]) => {
    const found = pattern.exec(read(path))?.[1];
    return found === wanted ? [] : [`${path}: ${pattern.source} is ${found ?? 'missing'}, package.json says ${wanted}`];
  });
}

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  const check = process.argv.includes('--check');
  const problems = pinProblems(root);
  for (const doc of docs(root)) {
    if (doc.current === doc.synced) continue;
    if (check) {
      problems.push(`${doc.path} differs from the test programs: run npx projen docs:bindings`);
    } else {
      writeFileSync(join(root, doc.path), doc.synced);
      console.log(`updated ${doc.path}`);
    }
  }
  if (problems.length) {
    for (const problem of problems) console.error(`FAIL: ${problem}`);
    process.exit(1);
  }
  console.log(check ? 'docs/bindings and version pins agree with the test programs' : 'docs/bindings are up to date');
}
