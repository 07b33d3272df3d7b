// The CLI's view of the library: everything the CLI package (packages/cli) uses from cdk-cis-log-monitoring, and
// nothing else. The CLI imports only this module (`cdk-cis-log-monitoring/lib/cli-support`; eslint forbids every
// other path into the library there), and `npx projen package:cli` bundles exactly the compiled files this module
// requires, transitively (scripts/package/bundle-closure.ts), into the published CLI. So nothing reachable from here
// may import aws-cdk-lib, constructs or any package the CLI does not depend on (its @aws-sdk clients are the only
// ones): the CLI is installed without them, and the pack fails.
//
// Internal: not exported from src/index.ts, so it is not part of the jsii API (no bindings see it).

export { CisControl, CisPatternSet } from './catalog';
export { deployedVariants, hasSsoAwareVariant, KnownPatterns } from './catalog/variants';
// The monitoring-integrity controls (issue 20): the tamper control's pattern for replay and hunt, the IDs shown.
export {
  HEARTBEAT_CONTROL_ID, HEARTBEAT_CONTROL_TITLE, HEARTBEAT_METRIC_NAME, HEARTBEAT_NAMESPACE, TAMPER_CONTROL_ID, TAMPER_CONTROL_TITLE,
  TAMPER_METRIC_NAME, type TamperScope,
  tamperPattern, tamperPatterns,
} from './catalog/tamper-control';
export { type ExclusionSpec, exclusionsFor, operationalPattern, parseExclusions } from './catalog/exclusion-rules';
export { LogFilterPattern } from './engine';
export { type Comparison, type Expression, type ExpressionVisitor, type Selector, type SelectorStep, type Test, visit } from './engine/ast';
export { type ScreenTables, TextScreen } from './engine/literals';
export { parseFilterPattern } from './engine/parser';
// The engine's regex tree (one grammar): hunt translates it to SQL dialects.
export { parseRegex, type RegexAtom, type RegexClassEscape, type RegexClassMember, type RegexItem, type RegexTree } from './engine/regex';
// The monitoring model, the rules and the runner (issue 18): `audit` reads an account into the model (live adapter).
export * from './verdicts/model';
export type { Chain, ControlContext, Finding, FindingVerdict, Rule, RuleFinding, Verdict } from './verdicts/rule';
export { type ControlVerdict, type SnapshotVerdict, runRules, watchedMetrics, worstVerdict } from './verdicts/runner';
export { RULES } from './verdicts/rules';
// The template adapter and check (issue 18): `check` reads templates into the model and runs the same rules.
export { NOTHING_TO_CHECK, type TemplateCheckOptions, type TemplateCheckResult, checkTemplates, nestedTemplateLoader } from './verdicts/check';
export { TemplateFormatError, type TemplateInput, snapshotFromTemplates } from './verdicts/template/adapter';
// The evidence report (issue 20 §4): `audit --html` and the self-audit function produce the same page.
export * from './verdicts/evidence';
export { contentSecurityPolicy, escapeHtml, htmlPage, type HtmlPage } from './report/html-page';
// The live adapter (issue 18), its API and its AWS SDK v3 implementation: one copy, shared by `audit`/`verify` and the
// construct's self-audit function (issue 20 §3, src/construct/audit/self-audit.lambda.ts). sdk-api.ts imports the
// @aws-sdk clients the CLI package depends on; the pack allows exactly the CLI's declared dependencies.
export * from './verdicts/live/api';
export { type LiveSnapshot, parseLogGroupArn, readAccount } from './verdicts/live/live-snapshot';
export { type SdkApiOptions, SdkAuditApi, call } from './verdicts/live/sdk-api';
export { type AuditCredentials, ClientCache, type ClientSettings } from './verdicts/live/client-cache';
// The evidence report's SDK calls (`audit --html` and the self-audit function: one copy).
export { SdkEvidenceApi } from './verdicts/live/sdk-evidence-api';
// STS AssumeRole into member accounts and the bounded worker pool: one copy for `audit --organization` and the
// self-audit's organization mode (src/verdicts/live/organization-self-audit.ts).
export { AUDIT_ROLE_SESSION_NAME, RoleAssumer, memberRoleArn } from './verdicts/live/sdk-assume-role';
export { mapBounded } from './verdicts/live/bounded';
