// The one module of the library the CLI package imports (src/cli-support.ts, compiled to lib/cli-support.js):
// `cdk-cis-log-monitoring/lib/cli-support`. Used by the pack (scripts/package/pack-cli.ts), the lint rule in
// .projenrc.ts and packages/cli/test/library-entry.test.ts.
export const CLI_LIBRARY_ENTRY = 'lib/cli-support';
