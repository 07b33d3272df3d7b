/* eslint-disable @typescript-eslint/no-require-imports */
import { CliCommand } from './command';

/**
 * The subcommands of `cdk-cis-log-monitoring`, by name, each loaded when it runs: `audit`, `verify` and `hunt` load
 * the AWS SDK and DuckDB (0.1 to 0.35 s of CPU each), which `replay` and `catalog` do not need. Add a command with
 * one entry here (`help` and `--version` are built into main.ts).
 */
export const COMMANDS: Record<string, () => CliCommand> = {
  audit: () => (require('./audit') as typeof import('./audit')).AUDIT_COMMAND,
  catalog: () => (require('./catalog-command') as typeof import('./catalog-command')).CATALOG_COMMAND,
  check: () => (require('./check') as typeof import('./check')).CHECK_COMMAND,
  hunt: () => (require('./hunt/command') as typeof import('./hunt/command')).HUNT_COMMAND,
  replay: () => (require('./replay') as typeof import('./replay')).REPLAY_COMMAND,
  verify: () => (require('./verify/command') as typeof import('./verify/command')).VERIFY_COMMAND,
};
