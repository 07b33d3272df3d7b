/**
 * Static gates (ISSUE 5) over the synthesized templates of the demo app and the test apps:
 *   - cfn-lint: no error, no warning except CDK's known W3005 (redundant DependsOn);
 *   - checkov's CloudFormation checks: none failed; every skip carries a written reason;
 *   - cdk-nag 3.x packs AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1: no
 *     unacknowledged finding, and no acknowledgement at all on CisLogMonitoring's own resources.
 *
 * Acknowledgements exist only for resources the demo app owns around the construct (the trail,
 * its bucket, its role, its log group), each with its reason, in `ACKNOWLEDGED` below.
 *
 * Needs cfn-lint and checkov: `bash scripts/e2e/setup.sh`. Without them, this test fails and says so.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Validations, aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { CisMonitoringDemoStack } from '../../examples/demo-stack';
import { CisLogMonitoring, CisPatternSet } from '../../src';
import { buildTestStack } from '../e2e/apps';
import { REPO_ROOT } from '../e2e/moto/server';

const CFN_LINT = path.join(REPO_ROOT, '.venv-moto', 'bin', 'cfn-lint');
const CHECKOV = path.join(REPO_ROOT, '.venv-checkov', 'bin', 'checkov');

/** One acknowledgement: a resource the app owns (construct path below the stack), the findings, and why. */
interface Acknowledgement {
  readonly path: string;
  readonly nag: string[];
  readonly checkov: string[];
  readonly reason: string;
}

const NAG_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];
const inCompliancePacks = (...rules: string[]): string[] => NAG_PACKS.flatMap((pack) => rules.map((rule) => `${pack}-${rule}`));

/** Findings on the demo app's own resources, out of the construct's scope. Nothing here may point into CisLogMonitoring. */
const DEMO_ACKNOWLEDGED: Acknowledgement[] = [
  {
    path: 'Trail/S3',
    nag: ['AwsSolutions-S1', ...inCompliancePacks('S3BucketLoggingEnabled', 'S3BucketPublicReadProhibited', 'S3BucketPublicWriteProhibited',
      'S3BucketReplicationEnabled', 'S3BucketVersioningEnabled', 'S3DefaultEncryptionKMS')],
    checkov: ['CKV_AWS_18', 'CKV_AWS_21', 'CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
    reason: 'The demo trail\'s archive bucket, made by CDK\'s cloudtrail.Trail, not by CisLogMonitoring. How an account stores its trail '
      + '(access logs, versioning, replication, KMS, Block Public Access) is CIS section 3 (logging), not the monitoring controls; '
      + 'a production app passes its own hardened bucket to Trail.',
  },
  {
    path: 'TrailLogGroup',
    nag: inCompliancePacks('CloudWatchLogGroupEncrypted'),
    checkov: ['CKV_AWS_158'],
    reason: 'The trail\'s log group belongs to the app; CisLogMonitoring only attaches metric filters to it and works with or without '
      + 'a KMS key on it. Encrypting it needs a key policy for logs.<region>.amazonaws.com, the app\'s choice.',
  },
  {
    path: 'Trail',
    nag: inCompliancePacks('CloudTrailEncryptionEnabled'),
    checkov: ['CKV_AWS_35'],
    reason: 'SSE-KMS for the trail\'s log files is a CIS section 3 (logging) recommendation about the app\'s trail, '
      + 'not part of the monitoring controls CisLogMonitoring implements.',
  },
  {
    path: 'Trail/LogsRole',
    nag: inCompliancePacks('IAMNoInlinePolicy'),
    checkov: [],
    reason: 'CDK\'s cloudtrail.Trail grants its CloudWatch Logs delivery role logs:CreateLogStream/PutLogEvents on the one log group as '
      + 'the role\'s default (inline) policy; it is the demo\'s trail, not a CisLogMonitoring resource.',
  },
];

/** Findings on a test app's own log group (the stand-in for the trail's log group). */
const TEST_APP_ACKNOWLEDGED: Acknowledgement[] = [
  { ...DEMO_ACKNOWLEDGED[1], path: 'TrailLogs' },
];

interface GateApp {
  readonly name: string;
  readonly make: (app: App) => Stack;
  readonly app: App;
  readonly stack: Stack;
  readonly templateFile: string;
  /** Logical IDs of CisLogMonitoring's own resources. */
  readonly constructLogicalIds: Set<string>;
  readonly acknowledged: Acknowledgement[];
}

function buildGateApp(name: string, outdir: string, make: (app: App) => Stack, acknowledged: Acknowledgement[]): GateApp {
  const app = new App({ outdir });
  const stack = make(app);
  for (const ack of acknowledged) {
    const scope = stack.node.findChild(ack.path.split('/')[0]);
    const target = ack.path.split('/').slice(1).reduce<IConstruct>((c, id) => c.node.findChild(id), scope);
    // cdk-nag 3.x reads CDK's acknowledgement metadata on the resource or any ancestor.
    Validations.of(target).acknowledge(...ack.nag.map((id) => ({ id, reason: ack.reason })));
    // checkov reads resource-level skips (with their comment) from the template's Metadata.
    if (ack.checkov.length > 0) {
      const resources = target.node.findAll().filter(CfnResource.isCfnResource);
      for (const resource of resources) {
        const earlier: Array<{ id: string; comment: string }> = resource.getMetadata('checkov')?.skip ?? [];
        resource.addMetadata('checkov', { skip: [...earlier, ...ack.checkov.map((id) => ({ id, comment: ack.reason }))] });
      }
    }
  }
  const monitoring = stack.node.findAll().filter((c): c is CisLogMonitoring => c instanceof CisLogMonitoring);
  expect(monitoring).toHaveLength(1);
  const constructLogicalIds = new Set(monitoring[0].node.findAll().filter(CfnResource.isCfnResource)
    .map((r) => stack.resolve(r.logicalId) as string));
  Validations.of(app).addPlugins(...nagPacks(app));
  const assembly = synthWithValidation(app);
  return { name, make, app, stack, templateFile: assembly.getStackByName(stack.stackName).templateFullPath, constructLogicalIds, acknowledged };
}

/** cdk-nag 3.x packs, as users add them: `Validations.of(app).addPlugins(...)`. */
function nagPacks(app: App): NagPack[] {
  return [new AwsSolutionsChecks(app), new NIST80053R5Checks(app), new HIPAASecurityChecks(app), new PCIDSS321Checks(app)];
}

/** Synthesizes; a failed policy validation sets process.exitCode (as the CDK CLI sees it), which must not fail jest itself. */
function synthWithValidation(app: App) {
  const exitCode = process.exitCode;
  try {
    return app.synth();
  } finally {
    process.exitCode = exitCode;
  }
}

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    conclusion: string;
    violations: Array<{
      ruleName: string;
      description: string;
      violatingConstructs: Array<{ constructPath?: string }>;
    }>;
  }>;
}

/** The policy validation report CDK writes next to the templates (validation-report.json). */
function validationReport(app: App): ValidationReport {
  const file = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) throw new Error(`no ${file}: the cdk-nag plugins did not run`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function requireTool(file: string): void {
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(REPO_ROOT, file)} is missing. Install the gate tools with: bash scripts/e2e/setup.sh`);
  }
}

const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-gates-'));
const APPS: GateApp[] = [
  buildGateApp('demo app (examples/demo-stack.ts)', path.join(outRoot, 'demo'),
    (app) => new CisMonitoringDemoStack(app, 'CisMonitoringDemo'), DEMO_ACKNOWLEDGED),
  ...[
    { set: CisPatternSet.RECOMMENDED, sso: false },
    { set: CisPatternSet.CIS_V1_2_0, sso: false },
    { set: CisPatternSet.SECURITY_HUB, sso: true },
  ].map(({ set, sso }) => buildGateApp(`test app ${set.name}${sso ? ' SSO-aware' : ''}`, path.join(outRoot, set.name),
    (app) => buildTestStack(app, `CisGate-${set.name.replace(/_/g, '-')}`, { patternSet: set, ssoAwareMfaFilter: sso, bootstrapRule: true }),
    TEST_APP_ACKNOWLEDGED)),
];

afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

describe('cfn-lint', () => {
  test.each(APPS.map((a) => [a.name, a]))('%s: no errors, no warnings but W3005', (_name, gate) => {
    requireTool(CFN_LINT);
    // The template path goes before -i: -i takes several values and would swallow it.
    const run = spawnSync(CFN_LINT, [gate.templateFile, '-i', 'W3005'], { encoding: 'utf-8' });
    expect({ status: run.status, output: run.stdout + run.stderr }).toEqual({ status: 0, output: '' });
  });
});

describe('checkov (CloudFormation checks)', () => {
  let report: any;

  beforeAll(() => {
    requireTool(CHECKOV);
    const args = [...APPS.flatMap((a) => ['-f', a.templateFile]), '--framework', 'cloudformation', '--skip-download', '-o', 'json', '--compact'];
    const run = spawnSync(CHECKOV, args, { encoding: 'utf-8', env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' }, maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0 && run.status !== 1) throw new Error(`checkov exited ${run.status}: ${run.stderr}`);
    const parsed = JSON.parse(run.stdout);
    report = Array.isArray(parsed) ? parsed.find((r: any) => r.check_type === 'cloudformation') : parsed;
  }, 120_000);

  test('it checked every template', () => {
    const files = new Set([...report.results.passed_checks, ...report.results.failed_checks, ...report.results.skipped_checks]
      .map((c: any) => path.basename(c.file_path)));
    expect([...files].sort()).toEqual(APPS.map((a) => path.basename(a.templateFile)).sort());
    expect(report.summary.parsing_errors).toBe(0);
  });

  test('no check failed', () => {
    expect(report.results.failed_checks.map((c: any) => `${path.basename(c.file_path)} ${c.resource} ${c.check_id} ${c.check_name}`)).toEqual([]);
  });

  test('every skip has a written reason and none is on a CisLogMonitoring resource', () => {
    for (const skipped of report.results.skipped_checks) {
      const gate = APPS.find((a) => path.basename(a.templateFile) === path.basename(skipped.file_path))!;
      const logicalId = String(skipped.resource).split('.').pop()!;
      expect(gate.constructLogicalIds.has(logicalId)).toBe(false);
      expect(String(skipped.check_result.suppress_comment ?? '').length).toBeGreaterThan(40);
    }
  });

  test('CisLogMonitoring\'s own resources pass the checks that apply to them (SNS encryption, KMS rotation and policy)', () => {
    const ownPassed = report.results.passed_checks
      .filter((c: any) => APPS.some((a) => a.constructLogicalIds.has(String(c.resource).split('.').pop()!)))
      .map((c: any) => c.check_id);
    for (const id of ['CKV_AWS_26', 'CKV_AWS_7', 'CKV_AWS_33']) expect(ownPassed).toContain(id);
  });
});

describe('cdk-nag 3.x (Validations API): AwsSolutions, NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1', () => {
  // CDK's report lists only the plugins that found something; that the four packs do run on these trees is proven
  // below, where the same apps without acknowledgements do have findings (on the demo's own resources).
  test.each(APPS.map((a) => [a.name, a]))('%s: no unacknowledged finding', (_name, gate) => {
    const report = validationReport(gate.app);
    const findings = report.pluginReports.flatMap((r) => r.violations.map((v) =>
      `${v.ruleName} ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}: ${v.description.slice(0, 120)}`));
    expect(findings).toEqual([]);
    expect(report.pluginReports.filter((r) => r.conclusion !== 'success')).toEqual([]);
  });

  test.each(APPS.map((a) => [a.name, a]))('%s: without acknowledgements, CisLogMonitoring itself has no finding', (_name, gate) => {
    // Build the same app again without any acknowledgement and look at the construct's resources only.
    const fresh = new App({ outdir: fs.mkdtempSync(path.join(outRoot, 'fresh-')) });
    const stack = gate.make(fresh);
    Validations.of(fresh).addPlugins(...nagPacks(fresh));
    synthWithValidation(fresh);
    const report = validationReport(fresh);
    const all = report.pluginReports.flatMap((r) => r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`)));
    // The app's own resources (its unencrypted log group; the demo's trail bucket for AwsSolutions) do have findings
    // here, which proves the packs ran on this tree.
    const ran = report.pluginReports.map((r) => r.pluginName);
    expect(ran).toEqual(expect.arrayContaining(['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']));
    if (gate.name.startsWith('demo')) expect(ran).toContain('AwsSolutions');
    expect(all.length).toBeGreaterThan(0);
    const monitoring = stack.node.findAll().find((c): c is CisLogMonitoring => c instanceof CisLogMonitoring)!;
    const own = monitoring.node.path + '/';
    expect(all.filter((finding) => finding.split(' ')[1]?.startsWith(own))).toEqual([]);
    // And the acknowledgements of the gated app never point into the construct.
    for (const ack of gate.acknowledged) expect(`${gate.stack.node.path}/${ack.path}/`.startsWith(`${gate.stack.node.path}/${monitoring.node.id}/`)).toBe(false);
  });

  test('a finding on a construct resource would be caught: an alarm without actions fails the NIST pack', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(outRoot, 'negative-')) });
    const stack = new Stack(app, 'Negative');
    new cloudwatch.Alarm(stack, 'Bare', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'y' }), threshold: 1, evaluationPeriods: 1 });
    Validations.of(app).addPlugins(new NIST80053R5Checks(app));
    synthWithValidation(app);
    const rules = validationReport(app).pluginReports.flatMap((r) => r.violations.map((v) => v.ruleName));
    expect(rules).toContain('NIST.800.53.R5-CloudWatchAlarmAction');
  });
});
