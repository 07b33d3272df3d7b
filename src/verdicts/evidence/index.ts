// The evidence report (issue 20 §4): one picture for `audit --html` and the self-audit function. Internal (not
// exported from src/index.ts): the CLI reaches it through src/cli-support.ts, the self-audit function imports it.
export * from './model';
export * from './collector';
export { renderEvidenceHtml } from './html';
