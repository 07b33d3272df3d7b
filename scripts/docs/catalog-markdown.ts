import { CisControl } from '../../src/catalog/cis-control';
import { CisPatternSet } from '../../src/catalog/cis-pattern-set';
import { EDITIONS } from '../../src/catalog/control-records';
import { catalogVariants, deployedVariants } from '../../src/catalog/variants';

// Markdown views of the catalog for docs/catalog.md (`npx projen docs:readme`). Documentation tooling: not shipped.
// Generated from the catalog so that the docs cannot drift from what the construct deploys.

const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The controls table: ids per version, Security Hub id, what it detects, how RECOMMENDED differs from v3.0.0. */
export function renderControlsTable(): string {
  const rows = CisControl.all().map((control) => {
    const ids = control.benchmarkIds;
    const recommended = control.correctionIn(CisPatternSet.RECOMMENDED) ?? 'Same text as v3.0.0';
    return `| ${control.id} ${cell(control.title.replace(/^Ensure /, ''))} | ${code(control.key)} | ${ids['1.2.0'] ?? '—'} | ${ids['1.4.0']} `
      + `| ${ids['6.0.0']} | ${control.securityHubId ?? '—'} | ${cell(control.detects)} | ${code(control.metricName)} | ${cell(recommended)} |`;
  });
  return [
    '| Control (v3.0.0) | `CisControl` | v1.2.0 | v1.3.0–v5.0.0 | v6.0.0+ | Security Hub | Detects | Metric | RECOMMENDED vs v3.0.0 text |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The pattern sets table. */
export function renderPatternSetsTable(): string {
  return [
    '| `CisPatternSet` | Controls | Ids | What it is |',
    '| --- | --- | --- | --- |',
    ...CisPatternSet.all().map((set) => `| ${code(set.name)}${set === CisPatternSet.RECOMMENDED ? ' (default)' : ''} | ${set.controls().length} `
      + `| ${EDITIONS[set._edition].section === undefined ? 'CloudWatch.1–14' : `v${set.benchmarkVersion}`} | ${cell(set.description)} |`),
  ].join('\n');
}

/** Every place where a set's string is not the benchmark's printed text, with the reason. */
export function renderCorrections(): string {
  return [...catalogVariants()].filter((v) => v.correction)
    .map((v) => `- **${v.set.name} ${v.control.idIn(v.set)}**${v.ssoAware ? ' (SSO-aware)' : ''}: ${v.correction}`)
    .join('\n');
}

/** The exact pattern of every control in one set, as a Markdown table. */
export function renderPatterns(set: CisPatternSet, ssoAwareMfaFilter: boolean): string {
  return [
    '| Id | Control | Pattern |',
    '| --- | --- | --- |',
    ...deployedVariants(set, ssoAwareMfaFilter).map((v) => `| ${v.control.idIn(set) ?? v.control.id} | ${code(v.control.key)} | ${code(v.text)} |`),
  ].join('\n');
}
