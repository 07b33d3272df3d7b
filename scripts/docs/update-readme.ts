// Regenerates the catalog sections of README.md from the catalog: `npx projen docs:readme`.
// Also regenerates docs/realtime.md's tables (what the EventBridge compiler makes of every pattern).
import { readFileSync, writeFileSync } from 'fs';
import { fillSections, readmeSections } from './readme-sections';
import { realtimeSections } from './realtime-markdown';

for (const [path, sections] of [['README.md', readmeSections()], ['docs/realtime.md', realtimeSections()]] as const) {
  const before = readFileSync(path, 'utf8');
  const after = fillSections(before, sections);
  writeFileSync(path, after);
  console.log(before === after ? `${path} generated sections are up to date` : `${path} generated sections updated`);
}
