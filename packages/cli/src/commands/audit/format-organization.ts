import { AccountResult, OrganizationReport } from '../../account/organization';
import { ControlFinding } from '../../account/report';

const CELL = { PASS: 'PASS', WARNING: 'WARN', FAIL: 'FAIL', UNKNOWN: '?' } as const;

/**
 * The accounts × controls matrix (the CIS controls, then the monitoring-integrity ones), then every non-PASS finding
 * with its reason, then the verdict.
 */
export function formatOrganizationTable(report: OrganizationReport): string {
  const lines: string[] = [];
  lines.push(`CIS AWS Foundations Benchmark monitoring audit: ${report.accounts.length} accounts, region ${report.region}, `
    + `pattern set ${report.patternSet}`);
  lines.push('');
  const controlColumns = [...report.controls, ...report.integrityControls];
  const header = ['ACCOUNT', 'NAME', 'RESULT', ...controlColumns];
  const rows = report.accounts.map((a) => {
    const byId = new Map(judgedControls(a).map((c) => [c.id, c.status]));
    return [a.accountId, a.name ?? '', a.status, ...controlColumns.map((id) => {
      const status = byId.get(id);
      return status ? CELL[status] : '-';
    })];
  });
  lines.push(...columns(header, rows).map((l) => `  ${l}`));
  lines.push('  (WARN = WARNING: holds with a deviation named below; ? = UNKNOWN: could not be read; - = not audited)');
  const findings = report.accounts.flatMap(findingLines);
  if (findings.length > 0) {
    lines.push('');
    lines.push('Findings (every control that did not pass, with the reason):');
    lines.push(...findings);
  }
  lines.push('');
  lines.push(`${report.status}: ${report.accounts.length} accounts: ${report.passed} passed, `
    + `${report.warnings > 0 ? `${report.warnings} with warnings, ` : ''}${report.failed} failed, ${report.unknown} unknown`);
  return lines.join('\n') + '\n';
}

/** An account's judged controls: the CIS ones, then the monitoring-integrity ones (none when it could not be read). */
function judgedControls(account: AccountResult): ControlFinding[] {
  return account.report ? [...account.report.controls, ...account.report.integrity] : [];
}

function findingLines(account: AccountResult): string[] {
  const who = `  ${account.accountId}${account.name ? ` (${account.name})` : ''}`;
  if (!account.report) return [`${who}  UNKNOWN  ${account.reason ?? ''}`];
  return judgedControls(account)
    .filter((c) => c.status !== 'PASS')
    .map((c) => `${who}  ${c.id}  ${c.status}  ${c.reason}`);
}

/** The report for pipelines: one JSON document, each account's full audit included. */
export function formatOrganizationJson(report: OrganizationReport): string {
  return JSON.stringify(report, undefined, 2) + '\n';
}

/**
 * JUnit XML for CI systems: one test suite per account, one test case per control (the CIS ones, then the
 * monitoring-integrity ones); FAIL is a `<failure>`, WARNING a passing case with the deviation in `<system-out>`,
 * UNKNOWN an `<error>`; an account that could not be read is one test case `account` with an `<error>`.
 */
export function formatJunit(report: OrganizationReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const account of report.accounts) {
    const suiteName = `CIS monitoring audit: account ${account.accountId}${account.name ? ` (${account.name})` : ''}, ${report.region}`;
    const classname = `cis.${account.accountId}`;
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    if (!account.report) {
      cases.push(`    <testcase classname="${xml(classname)}" name="account"><error type="UNKNOWN" message="${xml(account.reason ?? '')}"/></testcase>`);
      suiteErrors++;
    } else {
      for (const c of judgedControls(account)) {
        const name = `${c.id} ${c.title}`;
        if (c.status === 'PASS') {
          cases.push(`    <testcase classname="${xml(classname)}" name="${xml(name)}"/>`);
        } else if (c.status === 'WARNING') {
          // JUnit has no warning: a passing case whose output names the deviation.
          cases.push(`    <testcase classname="${xml(classname)}" name="${xml(name)}"><system-out>WARNING: `
            + `${xml([c.reason, ...c.notes].join('\n'))}</system-out></testcase>`);
        } else {
          const tag = c.status === 'FAIL' ? 'failure' : 'error';
          if (c.status === 'FAIL') suiteFailures++;
          else suiteErrors++;
          cases.push(`    <testcase classname="${xml(classname)}" name="${xml(name)}"><${tag} type="${c.status}" message="${xml(c.reason)}">`
            + `${xml([c.reason, ...c.notes].join('\n'))}</${tag}></testcase>`);
        }
      }
    }
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    suites.push(`  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${suiteFailures}" errors="${suiteErrors}">\n`
      + `${cases.join('\n')}\n  </testsuite>`);
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites name="cdk-cis-log-monitoring audit" tests="${tests}" failures="${failures}" errors="${errors}">\n`
    + `${suites.join('\n')}\n</testsuites>\n`;
}

/** Text for an XML attribute or element; characters XML 1.0 does not allow are dropped. */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

function columns(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}
