import * as fs from 'fs';
import {
  IPolicyValidationContext, IPolicyValidationContextBeta1, IPolicyValidationPlugin, IPolicyValidationPluginBeta1,
  PolicyValidationPluginReport, PolicyValidationPluginReportBeta1, PolicyViolationBeta1,
} from 'aws-cdk-lib';
import { CisControl, CisPatternSet } from '../catalog';
import { CHECK_RULES, checkTemplate } from './template-check';

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
   * Names of trail log groups to check in templates that have no trail of their own (the trail is in another
   * stack or account).
   *
   * @default - in a template without a trail, the log groups that carry at least one CIS metric filter
   */
  readonly logGroupNames?: string[];
}

/**
 * A CDK policy-validation plugin (the mechanism cdk-nag 3.x uses) that fails synthesis when a template's trail
 * log group lacks a CIS monitoring control, or when the chain metric filter → metric → alarm → SNS topic →
 * subscription → KMS key grant is broken (for example an alarm on a metric name no filter publishes).
 * It reads the synthesized templates, so it checks any template, not only this library's.
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
  public readonly ruleIds?: string[] = Object.values(CHECK_RULES);

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
    const violations: PolicyViolationBeta1[] = [];
    let success = true;
    for (const templatePath of templatePaths) {
      const result = checkTemplate(JSON.parse(fs.readFileSync(templatePath, 'utf8')), this.props);
      if (!result.passed) success = false;
      for (const finding of result.findings) {
        violations.push({
          ruleName: finding.rule,
          description: finding.message,
          fix: finding.fix,
          severity: finding.severity === 'ERROR' ? 'error' : 'warning',
          violatingResources: finding.logicalIds.map((resourceLogicalId) => ({ resourceLogicalId, templatePath, locations: [] })),
        });
      }
    }
    return { success, violations };
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
