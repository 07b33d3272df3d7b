import * as fs from 'fs';
import * as path from 'path';
import {
  IPolicyValidationContext, IPolicyValidationContextBeta1, IPolicyValidationPlugin, IPolicyValidationPluginBeta1,
  PolicyValidationPluginReport, PolicyValidationPluginReportBeta1, PolicyViolationBeta1,
} from 'aws-cdk-lib';
// The plugin runs inside a CDK app, which has aws-cdk-lib (a peer); the CLI does not reach this file.
import { ArtifactType, AwsCloudFormationStackProperties, Manifest } from 'aws-cdk-lib/cloud-assembly-schema';
import { CisControl, CisPatternSet } from '../catalog';
import { NOTHING_TO_CHECK, checkTemplates, nestedTemplateLoader } from '../verdicts/check';
import { RULES } from '../verdicts/rules';

/** Properties of `CisMonitoringPolicyPlugin`. */
export interface CisMonitoringPolicyPluginProps {
  /**
   * Whose filter pattern texts count.
   *
   * @default - the text of any pattern set
   */
  readonly patternSet?: CisPatternSet;

  /**
   * The controls every trail log group needs.
   *
   * @default - every control of `patternSet` (every built-in control without one)
   */
  readonly controls?: CisControl[];

  /**
   * Names of trail log groups to check when no template of the app has a trail delivering to CloudWatch Logs
   * (the trail is in another app or account).
   *
   * @default - without a trail, the log groups that carry at least one CIS metric filter
   */
  readonly logGroupNames?: string[];
}

/**
 * A CDK policy-validation plugin (the mechanism cdk-nag 3.x uses) that fails synthesis unless every CIS control
 * of the app's templates has a chain that holds: trail → log group → metric filter → alarm → SNS topic → key →
 * subscription, judged by the same rules as `cdk-cis-log-monitoring check` and `audit` (docs/check.md lists
 * them). The app's stacks are read together (a trail stack and a monitoring stack, nested stacks included). A
 * FAIL or an UNKNOWN (something the templates cannot decide, such as an imported value) fails synthesis; a
 * WARNING (a deviation a user may intend) is reported only.
 *
 * @example
 * import { Validations } from 'aws-cdk-lib';
 * import { CisMonitoringPolicyPlugin } from 'cdk-cis-log-monitoring';
 *
 * Validations.of(app).addPlugins(new CisMonitoringPolicyPlugin());
 */
export class CisMonitoringPolicyPlugin implements IPolicyValidationPlugin {
  /** The plugin's name in the validation report; acknowledge a rule as `cdk-cis-log-monitoring::<rule>`. */
  public readonly name = 'cdk-cis-log-monitoring';

  /** The rules this plugin reports. */
  public readonly ruleIds?: string[] = [...RULES.map((r) => r.id), NOTHING_TO_CHECK];

  constructor(private readonly props: CisMonitoringPolicyPluginProps = {}) {}

  /** Checks the synthesized templates. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.check(context.templatePaths);
  }

  /**
   * The same plugin for `new App({ policyValidationBeta1: [...] })`.
   */
  public asBeta1(): IPolicyValidationPluginBeta1 {
    return new Beta1Plugin(this.name, this.ruleIds, (paths) => this.check(paths));
  }

  private check(templatePaths: string[]): PolicyValidationPluginReportBeta1 {
    const inputs = templatePaths.map((templatePath) => {
      const declared = assemblyStackOf(templatePath);
      return {
        name: declared.name ?? path.basename(templatePath).replace(/\.template\.json$/, ''),
        path: templatePath,
        account: declared.account,
        region: declared.region,
        template: JSON.parse(fs.readFileSync(templatePath, 'utf8')),
      };
    });
    // The stacks of one environment are read together (an app may deploy to several accounts and regions).
    const groups = new Map<string, typeof inputs>();
    for (const input of inputs) {
      const key = `${input.account ?? '?'}/${input.region ?? '?'}`;
      groups.set(key, [...(groups.get(key) ?? []), input]);
    }
    const results = [...groups.values()].map((group) => checkTemplates(group, { ...this.props, loadNested: nestedTemplateLoader() }));
    const judged = results.filter((r) => !r.nothingToCheck);
    if (judged.length === 0) {
      return {
        success: false,
        violations: [{
          ruleName: NOTHING_TO_CHECK,
          description: `${results[0]?.nothingToCheck ?? 'no template'} (UNKNOWN, not PASS)`,
          fix: 'Add CisLogMonitoring on the trail\'s log group, or name the trail\'s log group with logGroupNames.',
          severity: 'error',
          violatingResources: templatePaths.map((templatePath) => ({ resourceLogicalId: 'Template', templatePath, locations: [] })),
        }],
      };
    }
    // The monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT) fail the report only when they FAIL (their absence
    // is a WARNING CIS does not require): their FAIL findings are listed with the CIS ones, nothing else of theirs.
    const violations: PolicyViolationBeta1[] = judged.flatMap((result) => [
      ...result.findings, ...result.integrityFindings.filter((f) => f.verdict === 'FAIL'),
    ].map((finding) => ({
      ruleName: finding.rule,
      description: `${finding.verdict}: ${finding.message}`,
      fix: finding.fix,
      severity: finding.verdict === 'WARNING' ? 'warning' : 'error',
      violatingResources: finding.resources.map((label) => {
        const origin = result.origins.get(label);
        return { resourceLogicalId: origin?.logicalId ?? label, templatePath: origin?.templatePath ?? templatePaths[0] ?? '', locations: [] };
      }),
    })));
    return { success: judged.every((r) => r.verdict === 'PASS' || r.verdict === 'WARNING'), violations };
  }
}

class Beta1Plugin implements IPolicyValidationPluginBeta1 {
  constructor(
    public readonly name: string,
    public readonly ruleIds: string[] | undefined,
    private readonly run: (templatePaths: string[]) => PolicyValidationPluginReportBeta1,
  ) {}

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    return this.run(context.templatePaths);
  }
}

/**
 * The stack name and environment a cloud assembly's manifest.json declares for a template file of it (the plugin
 * reads the assembly it validates); undefined parts when there is no manifest or it does not say.
 */
function assemblyStackOf(templatePath: string): { name?: string; account?: string; region?: string } {
  let manifest: ReturnType<typeof Manifest.loadAssemblyManifest>;
  try {
    manifest = Manifest.loadAssemblyManifest(path.join(path.dirname(templatePath), 'manifest.json'), { skipVersionCheck: true });
  } catch {
    // No manifest (templates outside an assembly), or not one: nothing declared.
    return {};
  }
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== ArtifactType.AWS_CLOUDFORMATION_STACK) continue;
    const properties = artifact.properties as AwsCloudFormationStackProperties | undefined;
    if (properties?.templateFile !== path.basename(templatePath)) continue;
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(String(artifact.environment ?? ''));
    return {
      name: properties.stackName ?? id,
      account: env && env[1] !== 'unknown-account' ? env[1] : undefined,
      region: env && env[2] !== 'unknown-region' ? env[2] : undefined,
    };
  }
  return {};
}
