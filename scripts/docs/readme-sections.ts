import { renderControlsTable, renderCorrections, renderPatternSetsTable, renderPatterns } from './catalog-markdown';
import { CisPatternSet } from '../../src/catalog';

/** The page that holds the catalog's generated sections (the README links to it). */
export const CATALOG_PAGE = 'docs/catalog.md';

/** docs/catalog.md's sections generated from the catalog, by marker name (`<!-- generated:NAME:start -->` … `end -->`). */
export function catalogSections(): Record<string, string> {
  return {
    'controls': renderControlsTable(),
    'pattern-sets': renderPatternSetsTable(),
    'corrections': renderCorrections(),
    'recommended-patterns': renderPatterns(CisPatternSet.RECOMMENDED, false),
  };
}

/** Replaces every generated section of a Markdown text (the page at `path`); throws when a marker is missing. */
export function fillSections(markdown: string, sections: Record<string, string>, path = 'the page'): string {
  let result = markdown;
  for (const [name, body] of Object.entries(sections)) {
    const start = `<!-- generated:${name}:start -->`;
    const end = `<!-- generated:${name}:end -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`${path} lacks the markers ${start} … ${end}`);
    result = `${result.slice(0, from + start.length)}\n${body}\n${result.slice(to)}`;
  }
  return result;
}
