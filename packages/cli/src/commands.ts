import { AUDIT_COMMAND } from './audit';
import { CATALOG_COMMAND } from './catalog-command';
import { CHECK_COMMAND } from './check';
import { CliCommand } from './command';
import { HUNT_COMMAND } from './hunt/command';
import { REPLAY_COMMAND } from './replay';
import { VERIFY_COMMAND } from './verify/command';

/**
 * The subcommands of `cdk-cis-log-monitoring`, by name. Add a command with one entry here
 * (`help` and `--version` are built into main.ts).
 */
export const COMMANDS: Record<string, CliCommand> = {
  audit: AUDIT_COMMAND,
  catalog: CATALOG_COMMAND,
  check: CHECK_COMMAND,
  hunt: HUNT_COMMAND,
  replay: REPLAY_COMMAND,
  verify: VERIFY_COMMAND,
};
