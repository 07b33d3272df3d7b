import { AuditReport } from '../../account/report';

/** The report as a human reads it: trails (step 1), then one row per control with its reason, then the monitoring-integrity rows. */
export function formatTable(report: AuditReport): string {
  const lines: string[] = [];
  lines.push(`CIS AWS Foundations Benchmark monitoring audit: account ${report.account}, region ${report.region}, `
    + `pattern set ${report.patternSet}`);
  lines.push('');
  lines.push('Trails (audit step 1: multi-region, logging, all management events, delivering to CloudWatch Logs through its role):');
  if (report.trails.length === 0) lines.push('  (none)');
  for (const trail of report.trails) {
    lines.push(`  ${trail.status}  ${trail.name} (home ${trail.homeRegion}): ${trail.reason}`);
  }
  lines.push('');
  lines.push('Controls (audit steps 2-7: filter with the expected pattern -> alarm that can fire on its metric -> SNS topic CloudWatch can '
    + 'publish to -> confirmed subscriber that receives it):');
  const rows = report.controls.map((c) => [c.id, c.status, c.metricName ?? c.key, c.reason + c.notes.map((n) => ` [${n}]`).join('')]);
  lines.push(...table(['CONTROL', 'RESULT', 'METRIC', 'REASON'], rows).map((l) => `  ${l}`));
  lines.push('');
  if (report.integrity.length > 0) {
    lines.push('Monitoring integrity (not CIS requirements; absent is a WARNING, only a FAIL changes the result; docs/check.md):');
    const integrity = report.integrity.map((c) => [c.id, c.status, c.alarmName ?? '-', c.reason + c.notes.map((n) => ` [${n}]`).join('')]);
    lines.push(...table(['CONTROL', 'RESULT', 'ALARM', 'REASON'], integrity).map((l) => `  ${l}`));
    lines.push('');
  }
  lines.push(`${report.status}: ${report.passed} passed, ${report.warnings > 0 ? `${report.warnings} with warnings, ` : ''}${report.failed} failed`
    + `${report.unknown > 0 ? `, ${report.unknown} unknown` : ''}`);
  return lines.join('\n') + '\n';
}

/** The report for pipelines: stable keys, one JSON document. */
export function formatJson(report: AuditReport): string {
  return JSON.stringify(report, undefined, 2) + '\n';
}

/** Left-aligned columns; the last column is not padded. */
function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}
