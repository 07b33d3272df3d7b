import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';
import { AuditApi, AuditApiError } from './api';
import { runCisAudit } from './audit';
import { formatJson, formatTable } from './format';
import { AuditPatternSet, AuditStatus } from './report';
import { SdkAuditApi } from './sdk-api';
import { defineCommand, parseCommandLine, usageText } from '../options';

export * from './api';
export * from './audit';
export * from './report';
export { capturesAllManagementEvents, parseLogGroupArn } from './trail-check';
export * from './format';
export * from './sdk-api';
export * from './client-cache';

/** Exit codes of `cdk-cis-log-monitoring audit` (0, 1 and 2 as in every command of the CLI). */
export const AUDIT_EXIT = {
  /** Every control passed. */
  PASS: 0,
  /** Bad command line. */
  USAGE: 1,
  /** At least one control failed. */
  FAIL: 2,
  /**
   * Something could not be read: a control or trail is UNKNOWN (the report is printed), or the account itself could
   * not be read (credentials, region, network; no report). Worse than FAIL: an unread link may hide more failures.
   */
  ERROR: 3,
} as const;

const ACCESS_HINT = 'Check the credentials, the region and the network. The audit needs read-only access to eight actions '
  + '(docs/audit.md lists them).';

/** The exit code of a result: 0 PASS, 2 FAIL, 3 UNKNOWN (the worst result decides). */
export function exitCodeOf(status: AuditStatus): number {
  return status === 'PASS' ? AUDIT_EXIT.PASS : status === 'FAIL' ? AUDIT_EXIT.FAIL : AUDIT_EXIT.ERROR;
}

/** One line for the command table. */
export const AUDIT_SUMMARY = 'Run the CIS audit procedure (steps 1-7) against the current AWS account; PASS/FAIL per control';

/** The audit command's arguments, declared once: the parser and `--help` are made from this. */
export const AUDIT_DECLARATION = defineCommand({
  name: 'audit',
  summary: AUDIT_SUMMARY,
  description: `Runs the CIS AWS Foundations Benchmark audit procedure for the monitoring controls (v3.0.0 4.1-4.15,
steps 1-7) against the account of the current AWS credentials, read-only, and prints PASS/FAIL per
control with the reason.`,
  options: {
    'region': { type: 'string', valueName: 'R', description: 'region whose trails are audited (default: AWS_REGION, AWS_DEFAULT_REGION, profile)' },
    'pattern-set': {
      type: 'string',
      valueName: 'NAME',
      description: 'the filter-pattern text to expect; "any" accepts any of the sets',
      allowed: [...CisPatternSet.all().map((s) => s.name), 'any'],
      ignoreCase: true,
      default: CisPatternSet.RECOMMENDED.name,
      parse: (name: string): AuditPatternSet => (name.trim().toLowerCase() === 'any' ? 'any' : CisPatternSet.fromName(name)),
    },
    'output': { type: 'string', valueName: 'FORMAT', allowed: ['table', 'json'], default: 'table', description: 'the report format' },
    'json': { type: 'boolean', description: 'same as --output json' },
    'endpoint-url': { type: 'string', valueName: 'URL', description: 'send every call to this endpoint (e.g. a local AWS emulator)' },
  },
  footer: 'Exit codes (the worst result decides): 0 every control passed, 1 bad command line, 2 a control failed,\n'
    + '3 a control could not be read (UNKNOWN) or the account could not be read.',
});

export const AUDIT_USAGE = usageText('cdk-cis-log-monitoring', AUDIT_DECLARATION);

/** The `audit` entry of the CLI's command table (structurally a `CliCommand` of ../command.ts). */
export const AUDIT_COMMAND = {
  summary: AUDIT_SUMMARY,
  run: (argv: string[], io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream }): Promise<number> =>
    runAudit(argv, { stdout: (text) => io.stdout.write(text), stderr: (text) => io.stderr.write(text) }),
};

/** Where the command writes, and what it calls; tests replace them. */
export interface AuditIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  /** Makes the API the audit reads through. */
  readonly api?: (endpoint: string | undefined) => AuditApi;
}

/** Parsed command line. */
export interface AuditArgs {
  readonly region?: string;
  readonly patternSet: AuditPatternSet;
  readonly output: 'table' | 'json';
  readonly endpointUrl?: string;
  readonly help: boolean;
}

/** Parses the command line; throws an Error with a message for the user. */
export function parseAuditArgs(argv: string[]): AuditArgs {
  const { options, help } = parseCommandLine(AUDIT_DECLARATION, argv);
  const output = options.json ? 'json' : options.output as 'table' | 'json';
  return { region: options.region, patternSet: options['pattern-set'], output, endpointUrl: options['endpoint-url'], help };
}

/**
 * `cdk-cis-log-monitoring audit [--region R] [--pattern-set NAME|any] [--output table|json]`.
 * Resolves to the exit code (see `AUDIT_EXIT`).
 */
export async function runAudit(argv: string[], io?: Partial<AuditIo>): Promise<number> {
  const out = io?.stdout ?? ((text: string) => process.stdout.write(text));
  const err = io?.stderr ?? ((text: string) => process.stderr.write(text));
  const env = io?.env ?? process.env;
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv);
  } catch (e) {
    err(`audit: ${(e as Error).message}\n\n${AUDIT_USAGE}`);
    return AUDIT_EXIT.USAGE;
  }
  if (args.help) {
    out(AUDIT_USAGE);
    return AUDIT_EXIT.PASS;
  }
  const region = args.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || await regionFromProfile();
  if (!region) {
    err('audit: no region: pass --region, or set AWS_REGION or a region in your AWS profile\n');
    return AUDIT_EXIT.USAGE;
  }
  const api = io?.api ? io.api(args.endpointUrl) : new SdkAuditApi({ endpoint: args.endpointUrl });
  try {
    const report = await runCisAudit(api, { region, patternSet: args.patternSet });
    out(args.output === 'json' ? formatJson(report) : formatTable(report));
    if (report.status === 'UNKNOWN') {
      const first = report.controls.find((c) => c.status === 'UNKNOWN');
      err(`audit: ${report.unknown} control${report.unknown === 1 ? '' : 's'} could not be read (UNKNOWN in the report), e.g. ${first?.id}: `
        + `${first?.reason}\n  ${ACCESS_HINT}\n`);
    }
    return exitCodeOf(report.status);
  } catch (e) {
    if (e instanceof AuditApiError) {
      err(`audit: cannot read the account: ${e.message}\n  ${ACCESS_HINT}\n`);
      return AUDIT_EXIT.ERROR;
    }
    throw e;
  }
}

/** The region of the SDK's shared config (AWS_PROFILE / ~/.aws/config), if any. */
async function regionFromProfile(): Promise<string | undefined> {
  try {
    const { STSClient } = await import('@aws-sdk/client-sts');
    return await new STSClient({}).config.region();
  } catch {
    return undefined;
  }
}
