// Public: the policy-validation plugin. The check itself (the model, adapters and rules of src/verdicts/) is
// internal; the CLI reaches it through src/cli-support.ts.
export * from './policy-plugin';
