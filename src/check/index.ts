// Public: the policy-validation plugin. The check itself (template-check.ts) is internal; the CLI imports it
// as `cdk-cis-log-monitoring/lib/check/template-check`.
export * from './policy-plugin';
