/* eslint-disable @typescript-eslint/no-require-imports */
import { CliCommand } from './command';

/**
 * The subcommands of `cdk-cis-log-monitoring`, by name, each loaded when it runs: `audit`, `verify` and `hunt` load
 * the AWS SDK and DuckDB (0.1 to 0.35 s of CPU each), which `replay` and `catalog` do not need. Add a command with
 * one entry here (`help` and `--version` are built into main.ts).
 */
export const COMMANDS: Record<string, () => CliCommand> = {
  audit: () => (require('./commands/audit/command') as typeof import('./commands/audit/command')).AUDIT_COMMAND,
  catalog: () => (require('./commands/catalog/command') as typeof import('./commands/catalog/command')).CATALOG_COMMAND,
  check: () => (require('./commands/check/command') as typeof import('./commands/check/command')).CHECK_COMMAND,
  hunt: () => (require('./commands/hunt/command') as typeof import('./commands/hunt/command')).HUNT_COMMAND,
  replay: () => (require('./commands/replay/command') as typeof import('./commands/replay/command')).REPLAY_COMMAND,
  verify: () => (require('./commands/verify/command') as typeof import('./commands/verify/command')).VERIFY_COMMAND,
};
