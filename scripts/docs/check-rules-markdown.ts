import { NOTHING_TO_CHECK } from '../../src/verdicts/check';
import { INTEGRITY_RULES, RULES } from '../../src/verdicts/rules';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Links the URLs of a citation. */
function citation(text: string): string {
  return cell(text).replace(/https:\/\/[^\s;,)]+/g, (url) => `<${url}>`);
}

/** docs/check.md's rule table, generated from the one rule registry (src/verdicts/rules/index.ts). */
export function renderRulesTable(): string {
  const rows = RULES.map((r) => `| \`${r.id}\` | ${r.link} | ${r.severity} | ${cell(r.title)}: ${cell(r.enforces)} | ${citation(r.citation)} |`);
  return [
    '| Rule | Link | Worst verdict | What it checks | Citation |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    `| \`${NOTHING_TO_CHECK}\` | (runner) | UNKNOWN | Something to check: templates without a trail, a CIS metric filter or \`--log-group\` give no verdict, and "nothing to check" is never a PASS. | issue 18 §1 |`,
  ].join('\n');
}

/** docs/check.md's table of the rules only the monitoring-integrity controls run (src/verdicts/integrity.ts). */
export function renderIntegrityRulesTable(): string {
  return [
    '| Rule | Link | Worst verdict | What it checks | Citation |',
    '| --- | --- | --- | --- | --- |',
    ...INTEGRITY_RULES.map((r) => `| \`${r.id}\` | ${r.link} | ${r.severity} | ${cell(r.title)}: ${cell(r.enforces)} | ${citation(r.citation)} |`),
  ].join('\n');
}

/** docs/check.md's generated sections, by marker name. */
export function checkSections(): Record<string, string> {
  return { 'check-rules': renderRulesTable(), 'integrity-rules': renderIntegrityRulesTable() };
}
