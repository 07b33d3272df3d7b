// Regenerates the catalog sections of README.md from the catalog: `npx projen docs:readme`.
import { readFileSync, writeFileSync } from 'fs';
import { fillSections, readmeSections } from './readme-sections';

const path = 'README.md';
const before = readFileSync(path, 'utf8');
const after = fillSections(before, readmeSections());
writeFileSync(path, after);
console.log(before === after ? 'README.md catalog sections are up to date' : 'README.md catalog sections updated');
