import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';
import { ArgReader, CliCommand, CliIo, EXIT_OK, EXIT_USAGE, UsageError } from './command';

const USAGE = `Usage: cdk-cis-log-monitoring catalog [--pattern-set NAME] [--sso-aware-mfa] [--json]

Prints every control of a pattern set with its ids and the exact filter pattern the construct deploys.

Options:
  --pattern-set NAME  ${CisPatternSet.all().map((s) => s.name).join(', ')} (default RECOMMENDED)
  --sso-aware-mfa     the SSO-aware variant of the console sign-in without MFA pattern
  --json              one JSON document instead of text
`;

interface CatalogOptions {
  readonly patternSet: CisPatternSet;
  readonly ssoAware: boolean;
  readonly json: boolean;
}

function parseArgs(argv: string[]): CatalogOptions | 'help' {
  let patternSet = CisPatternSet.RECOMMENDED;
  let ssoAware = false;
  let json = false;
  const args = new ArgReader(argv);
  while (args.next()) {
    if (args.name === '--help' || args.name === '-h') {return 'help';} else if (args.name === '--sso-aware-mfa') {ssoAware = true;} else if (args.name === '--json') {json = true;} else if (args.name === '--pattern-set') {
      const value = args.value('a name');
      try {
        patternSet = CisPatternSet.fromName(value);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    } else {throw new UsageError(`unknown option "${args.arg}"`);}
  }
  return { patternSet, ssoAware, json };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let options: CatalogOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`cdk-cis-log-monitoring catalog: ${e.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    io.stdout.write(USAGE);
    return EXIT_OK;
  }
  const { patternSet, ssoAware } = options;
  if (ssoAware && patternSet === CisPatternSet.CIS_V1_2_0) {
    io.stderr.write('cdk-cis-log-monitoring catalog: CIS_V1_2_0 has no SSO-aware variant; the benchmark introduced it in v1.4.0.\n');
    return EXIT_USAGE;
  }
  const rows = patternSet.controls().map((control) => ({
    id: control.idIn(patternSet) ?? control.id,
    key: control.key,
    title: control.title,
    metricName: control.metricName,
    alarmName: control.alarmName,
    securityHubId: control.securityHubId ?? null,
    pattern: control.patternFor(patternSet, ssoAware),
    correction: control.correctionIn(patternSet, ssoAware) ?? null,
  }));
  if (options.json) {
    io.stdout.write(JSON.stringify({ patternSet: patternSet.name, ssoAwareMfaFilter: ssoAware, controls: rows }, undefined, 2) + '\n');
    return EXIT_OK;
  }
  io.stdout.write(`${patternSet.name}: ${patternSet.description}${ssoAware ? ' (SSO-aware MFA filter)' : ''}\n`);
  for (const row of rows) {
    io.stdout.write(`\n${row.id}  ${row.key}  ${row.title}\n  metric ${row.metricName}, alarm ${row.alarmName}`
      + `${row.securityHubId ? `, Security Hub ${row.securityHubId}` : ''}\n  ${row.pattern}\n`);
    if (row.correction) io.stdout.write(`  note: ${row.correction}\n`);
  }
  return EXIT_OK;
}

/** `cdk-cis-log-monitoring catalog`: the exact patterns of a set, from the same catalog the construct reads. */
export const CATALOG_COMMAND: CliCommand = {
  summary: 'Print the controls and exact filter patterns of a pattern set',
  run,
};
