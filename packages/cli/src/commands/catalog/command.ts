import { deployedVariants, hasSsoAwareVariant } from 'cdk-cis-log-monitoring/lib/cli-support';
import { CliCommand, declaredCommand, UsageError } from '../../command';
import { patternSetOption } from '../../common-options';
import { EXIT, exitCodesFooter } from '../../exit-codes';
import { defineCommand } from '../../options';

/** The catalog command's arguments, declared once: the parser and `--help` are made from this. */
export const CATALOG_DECLARATION = defineCommand({
  name: 'catalog',
  summary: 'Print the controls and exact filter patterns of a pattern set',
  description: 'Prints every control of a pattern set with its ids and the exact filter pattern the construct deploys.',
  options: {
    'pattern-set': patternSetOption(),
    'sso-aware-mfa': { type: 'boolean', description: 'the SSO-aware variant of the console sign-in without MFA pattern' },
    'json': { type: 'boolean', description: 'one JSON document instead of text' },
  },
  footer: exitCodesFooter([['OK', 'the catalog was printed'], ['USAGE', 'usage error']]),
});

/** `cdk-cis-log-monitoring catalog`: the exact patterns of a set, from the same catalog the construct reads. */
export const CATALOG_COMMAND: CliCommand = declaredCommand(CATALOG_DECLARATION, async ({ options }, io) => {
  const patternSet = options['pattern-set'];
  const ssoAware = options['sso-aware-mfa'];
  if (ssoAware && !hasSsoAwareVariant(patternSet)) {
    throw new UsageError(`${patternSet.name} has no SSO-aware variant; the benchmark introduced it in v1.4.0.`);
  }
  const rows = deployedVariants(patternSet, ssoAware).map(({ control, text, correction }) => ({
    id: control.idIn(patternSet) ?? control.id,
    key: control.key,
    title: control.title,
    metricName: control.metricName,
    alarmName: control.alarmName,
    securityHubId: control.securityHubId ?? null,
    pattern: text,
    correction: correction ?? null,
  }));
  if (options.json) {
    io.stdout.write(JSON.stringify({ patternSet: patternSet.name, ssoAwareMfaFilter: ssoAware, controls: rows }, undefined, 2) + '\n');
    return EXIT.OK;
  }
  io.stdout.write(`${patternSet.name}: ${patternSet.description}${ssoAware ? ' (SSO-aware MFA filter)' : ''}\n`);
  for (const row of rows) {
    io.stdout.write(`\n${row.id}  ${row.key}  ${row.title}\n  metric ${row.metricName}, alarm ${row.alarmName}`
      + `${row.securityHubId ? `, Security Hub ${row.securityHubId}` : ''}\n  ${row.pattern}\n`);
    if (row.correction) io.stdout.write(`  note: ${row.correction}\n`);
  }
  return EXIT.OK;
});
