// Regenerates the sections of the docs generated from the catalog and the compiler: `npx projen docs:readme`.
// docs/catalog.md: the controls, pattern sets, corrections and RECOMMENDED patterns (the README links to it).
// docs/realtime.md: what the EventBridge compiler makes of every pattern.
// docs/check.md: the rule table, from the rule registry.
import { readFileSync, writeFileSync } from 'fs';
import { checkSections } from './check-rules-markdown';
import { CATALOG_PAGE, catalogSections, fillSections } from './readme-sections';
import { realtimeSections } from './realtime-markdown';

for (const [path, sections] of [[CATALOG_PAGE, catalogSections()], ['docs/realtime.md', realtimeSections()], ['docs/check.md', checkSections()]] as const) {
  const before = readFileSync(path, 'utf8');
  const after = fillSections(before, sections, path);
  writeFileSync(path, after);
  console.log(before === after ? `${path} generated sections are up to date` : `${path} generated sections updated`);
}
