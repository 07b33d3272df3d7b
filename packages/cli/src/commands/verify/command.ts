import { AuditApi, AuditApiError, SdkAuditApi } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runVerify, UnknownControlError, VerifyReport } from './verify';
import { AuditPatternSet, exitCodeOf } from '../../account/report';
import { regionFromProfile } from '../../aws/region';
import { SdkVerifyApi, VerifyApi } from '../../aws/verify-api';
import { CliCommand, CliIo, declaredCommand, UsageError } from '../../command';
import { patternSetOption } from '../../common-options';
import { EXIT, exitCodesFooter } from '../../exit-codes';
import { defineCommand } from '../../options';

/** The verify command's arguments, declared once: the parser and `--help` are made from this. */
export const VERIFY_DECLARATION = defineCommand({
  name: 'verify',
  summary: 'Prove delivery: set each control\'s alarm to ALARM, read the action\'s outcome and the subscriptions, set it back',
  description: `Proof of delivery for the monitoring controls' alarms. For each control (or --control), the alarm the
audit finds (steps 1-7) is set to ALARM with SetAlarmState; the alarm's history then shows whether
each alarm action ran ("Failed to execute action" is the silent KMS key or topic policy drop); each
SNS topic must have a confirmed subscription; and the alarm is set back to its previous state.

This WRITES: every tested alarm notifies its subscribers once (a real page, e-mail or chat message,
with the reason "cdk-cis-log-monitoring verify: delivery test"). An alarm already in ALARM is not
tested. Needs cloudwatch:SetAlarmState and cloudwatch:DescribeAlarmHistory besides the audit's
read-only actions (docs/verify.md).`,
  options: {
    'region': { type: 'string', valueName: 'R', description: 'region of the trails and alarms (default: AWS_REGION, AWS_DEFAULT_REGION, profile)' },
    'pattern-set': patternSetOption<AuditPatternSet>({ value: 'any', meaning: 'each control\'s alarm may use the text of any set' }),
    'control': { type: 'string', valueName: 'KEY', repeatable: true, description: 'test only this control (key or id, e.g. ROOT_ACCOUNT_USAGE or 4.3)' },
    'alarm': { type: 'string', valueName: 'NAME', repeatable: true, description: 'test this alarm by name too (e.g. an operational alarm); alone, only the alarms named' },
    'wait': { type: 'integer', valueName: 'SECONDS', default: 60, min: 1, max: 900, description: 'how long to wait for each action\'s record in the alarm history' },
    'json': { type: 'boolean', description: 'print the report as JSON' },
    'endpoint-url': { type: 'string', valueName: 'URL', description: 'send every call to this endpoint (e.g. a local AWS emulator)' },
  },
  footer: exitCodesFooter([
    ['OK', 'every alarm delivered'],
    ['USAGE', 'bad command line'],
    ['FAILED', 'an alarm failed'],
    ['UNKNOWN', 'could not tell (a call failed, no record in time)'],
  ]),
});

/** What the command calls; tests replace it. */
export interface VerifyDependencies {
  readonly env?: Record<string, string | undefined>;
  readonly apis?: (endpoint: string | undefined) => { audit: AuditApi; verify: VerifyApi };
  readonly pollMilliseconds?: number;
}

/** The report as a human reads it. */
export function formatVerifyTable(report: VerifyReport): string {
  const lines = [`Delivery test: account ${report.account}, region ${report.region}, pattern set ${report.patternSet}`, ''];
  const rows = report.alarms.map((a) => [a.id ?? '-', a.status, a.alarmName ?? '-', a.reason]);
  const header = ['CONTROL', 'RESULT', 'ALARM', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) lines.push(`  ${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd());
  lines.push('', `${report.status}: ${report.passed} delivered, ${report.failed} failed, ${report.unknown} unknown`);
  return lines.join('\n') + '\n';
}

/** `cdk-cis-log-monitoring verify`, with its dependencies replaceable (tests). */
export function verifyCommand(deps: VerifyDependencies = {}): CliCommand {
  return declaredCommand(VERIFY_DECLARATION, async ({ options }, io: CliIo) => {
    const env = deps.env ?? process.env;
    const region = options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || await regionFromProfile();
    if (!region) throw new UsageError('no region: pass --region, or set AWS_REGION or a region in your AWS profile');
    const apis = deps.apis ? deps.apis(options['endpoint-url'])
      : { audit: new SdkAuditApi({ endpoint: options['endpoint-url'] }), verify: new SdkVerifyApi({ endpoint: options['endpoint-url'] }) };
    try {
      const report = await runVerify(apis.audit, apis.verify, {
        region,
        patternSet: options['pattern-set'],
        controls: options.control,
        alarms: options.alarm,
        waitSeconds: options.wait,
        ...(deps.pollMilliseconds !== undefined ? { pollMilliseconds: deps.pollMilliseconds } : {}),
      });
      io.stdout.write(options.json ? JSON.stringify(report, undefined, 2) + '\n' : formatVerifyTable(report));
      return exitCodeOf(report.status);
    } catch (e) {
      if (e instanceof UnknownControlError) throw new UsageError(e.message);
      if (e instanceof AuditApiError) {
        io.stderr.write(`verify: cannot read the account: ${e.message}\n`);
        return EXIT.UNKNOWN;
      }
      throw e;
    } finally {
      for (const api of [apis.audit, apis.verify]) (api as { destroy?: () => void }).destroy?.();
    }
  });
}

export const VERIFY_COMMAND: CliCommand = verifyCommand();
