import * as fs from 'fs';
import {
  AccountEvidence, AuditApi, AuditApiError, EvidenceApi, EvidenceOptions, SdkAuditApi, SdkEvidenceApi, collectAccountEvidence, evidencePeriod,
  evidenceReport, renderEvidenceHtml, unreadableAccountEvidence,
} from 'cdk-cis-log-monitoring/lib/cli-support';
import { formatJson, formatTable } from './format';
import { formatJunit, formatOrganizationJson, formatOrganizationTable } from './format-organization';
import { JudgedAccount, judgeAccount } from '../../account/audit';
import { AccountAccess, OrgAccount, OrganizationReport, parseAccountsFile, runOrganizationAudit } from '../../account/organization';
import { AuditPatternSet, exitCodeOf } from '../../account/report';
import { SdkAccountAccess } from '../../aws/organization-sdk';
import { regionFromProfile } from '../../aws/region';
import { CliCommand, declaredCommand, UsageError } from '../../command';
import { htmlOption, patternSetOption } from '../../common-options';
import { EXIT, exitCodesFooter } from '../../exit-codes';
import { defineCommand, OptionValues, parseCommandLine, usageText } from '../../options';

/** Exit codes of `cdk-cis-log-monitoring audit`, by audit result: the CLI's table (src/exit-codes.ts) under audit's names. */
export const AUDIT_EXIT = {
  /** Every control passed. */
  PASS: EXIT.OK,
  /** Bad command line. */
  USAGE: EXIT.USAGE,
  /** At least one control failed. */
  FAIL: EXIT.FAILED,
  /**
   * Something could not be read: a control or trail is UNKNOWN (the report is printed), or the account itself could
   * not be read (credentials, region, network; no report). Worse than FAIL: an unread link may hide more failures.
   */
  ERROR: EXIT.UNKNOWN,
} as const;

const ACCESS_HINT = 'Check the credentials, the region and the network. The audit needs read-only access to thirteen actions '
  + '(docs/audit.md lists them).';

/** One line for the command table. */
export const AUDIT_SUMMARY = 'Run the CIS audit procedure (steps 1-7) against the current AWS account, or every account of an organization';

/** The audit command's arguments, declared once: the parser and `--help` are made from this. */
export const AUDIT_DECLARATION = defineCommand({
  name: 'audit',
  summary: AUDIT_SUMMARY,
  description: `Runs the CIS AWS Foundations Benchmark audit procedure for the monitoring controls (v3.0.0 4.1-4.15,
steps 1-7) against the account of the current AWS credentials, read-only, and prints PASS, WARNING,
FAIL or UNKNOWN per control with the reason, judged by the same rules as check (docs/audit.md lists
them). With --organization (or --accounts), audits every account of the organization through STS
AssumeRole of --role-name in each, and prints an accounts x controls matrix.`,
  options: {
    'region': { type: 'string', valueName: 'R', description: 'region whose trails are audited (default: AWS_REGION, AWS_DEFAULT_REGION, profile)' },
    'pattern-set': patternSetOption<AuditPatternSet>({ value: 'any', meaning: 'an alarm may use the text of any set' }),
    'output': { type: 'string', valueName: 'FORMAT', allowed: ['table', 'json'], default: 'table', description: 'the report format' },
    'json': { type: 'boolean', description: 'same as --output json' },
    'endpoint-url': { type: 'string', valueName: 'URL', description: 'send every call to this endpoint (e.g. a local AWS emulator)' },
    'organization': { type: 'boolean', description: 'audit every active account of the organization (Organizations ListAccounts; needs --role-name)' },
    'accounts': { type: 'string', valueName: 'FILE', description: 'audit the accounts listed in FILE (one 12-digit ID per line, optionally a name after it; needs --role-name)' },
    'role-name': { type: 'string', valueName: 'NAME', description: 'the role assumed in each account (STS AssumeRole of arn:aws:iam::<account>:role/NAME)' },
    'concurrency': { type: 'integer', min: 1, max: 64, default: 8, description: 'accounts audited at once' },
    'junit': { type: 'string', valueName: 'FILE', description: 'also write the result as JUnit XML to FILE (one test suite per account, one test case per control)' },
    'html': htmlOption('also write the evidence report as one self-contained HTML page: per account and control the chain, verdict, rule '
      + 'and fix, the delivery heartbeat\'s last delivery and the tamper events of the last 24 hours (docs/audit.md)'),
  },
  footer: exitCodesFooter([
    ['OK', 'every control passed (or holds with a WARNING)'],
    ['USAGE', 'bad command line'],
    ['FAILED', 'a control failed'],
    ['UNKNOWN', 'a control could not be read (UNKNOWN) or the account could not be read'],
    ['IO_ERROR', 'the --html file could not be written'],
  ], { heading: 'Exit codes (the worst result decides):' }),
});

export const AUDIT_USAGE = usageText('cdk-cis-log-monitoring', AUDIT_DECLARATION);

/** Where the command writes, and what it calls; tests replace them. */
export interface AuditIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  /** Makes the API the audit reads through. */
  readonly api?: (endpoint: string | undefined) => AuditApi;
  /** Makes how the organization audit lists and reads the accounts. */
  readonly access?: (roleName: string, region: string, endpoint: string | undefined) => AccountAccess;
  /** Show a progress line on stderr (it is a terminal). */
  readonly progress?: boolean;
  /** Makes the evidence report's reads for the single-account audit (`--html`). */
  readonly evidenceApi?: (endpoint: string | undefined, region: string) => EvidenceApi & { destroy?(): void };
  /** The evidence report's period and bounds (tests fix `until`). */
  readonly evidence?: EvidenceOptions;
}

/** Parsed command line. */
export interface AuditArgs {
  readonly region?: string;
  readonly patternSet: AuditPatternSet;
  readonly output: 'table' | 'json';
  readonly endpointUrl?: string;
  readonly organization: boolean;
  readonly accountsFile?: string;
  readonly roleName?: string;
  readonly concurrency: number;
  readonly junit?: string;
  readonly html?: string;
  readonly help: boolean;
}

/** Parses the command line; throws a UsageError with a message for the user. */
export function parseAuditArgs(argv: string[]): AuditArgs {
  const { options, help } = parseCommandLine(AUDIT_DECLARATION, argv);
  return auditArgs(options, help);
}

function auditArgs(options: OptionValues<typeof AUDIT_DECLARATION.options>, help: boolean): AuditArgs {
  const output = options.json ? 'json' : options.output as 'table' | 'json';
  const roleName = options['role-name'];
  if (options.organization && options.accounts !== undefined) throw new UsageError('--organization and --accounts exclude each other: give one');
  if ((options.organization || options.accounts !== undefined) && !roleName) {
    throw new UsageError(`${options.organization ? '--organization' : '--accounts'} needs --role-name NAME (the role to assume in each account)`);
  }
  if (roleName !== undefined && !options.organization && options.accounts === undefined) throw new UsageError('--role-name needs --organization or --accounts FILE');
  return {
    region: options.region,
    patternSet: options['pattern-set'],
    output,
    endpointUrl: options['endpoint-url'],
    organization: options.organization,
    accountsFile: options.accounts,
    roleName,
    concurrency: options.concurrency,
    junit: options.junit,
    html: options.html,
    help,
  };
}

/**
 * The audit command on the CLI's declared-command mechanism (../command.ts): `--help` and usage errors are handled
 * there, as for every command. `deps` replaces what the audit calls (tests); `deps.progress` overrides the terminal test.
 */
export function auditCommand(deps: Partial<Omit<AuditIo, 'stdout' | 'stderr'>> = {}): CliCommand {
  return declaredCommand(AUDIT_DECLARATION, ({ options, help }, cli) => audit(auditArgs(options, help), {
    ...deps,
    stdout: (text) => cli.stdout.write(text),
    stderr: (text) => cli.stderr.write(text),
    progress: deps.progress ?? cli.stderrIsTTY,
  }));
}

/** The `audit` entry of the CLI's command table. */
export const AUDIT_COMMAND: CliCommand = auditCommand();

/**
 * `cdk-cis-log-monitoring audit [--region R] [--pattern-set NAME|any] [--output table|json]`.
 * Resolves to the exit code (see `AUDIT_EXIT`).
 */
export async function runAudit(argv: string[], io?: Partial<AuditIo>): Promise<number> {
  const stream = (write: (text: string) => void) => ({ write: (text: string) => { write(text); return true; } }) as unknown as NodeJS.WritableStream;
  return auditCommand(io).run(argv, {
    stdout: io?.stdout ? stream(io.stdout) : process.stdout,
    stderr: io?.stderr ? stream(io.stderr) : process.stderr,
    stderrIsTTY: io?.progress === true,
  });
}

async function audit(args: AuditArgs, io: Partial<AuditIo> & Pick<AuditIo, 'stdout' | 'stderr'>): Promise<number> {
  const out = io.stdout;
  const err = io.stderr;
  const env = io.env ?? process.env;
  const region = args.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || await regionFromProfile();
  if (!region) {
    err('audit: no region: pass --region, or set AWS_REGION or a region in your AWS profile\n');
    return AUDIT_EXIT.USAGE;
  }
  if (args.organization || args.accountsFile !== undefined) return runAccountsAudit(args, region, { out, err, io });
  const api = io?.api ? io.api(args.endpointUrl) : new SdkAuditApi({ endpoint: args.endpointUrl });
  try {
    const judged = await judgeAccount(api, { region, patternSet: args.patternSet });
    const report = judged.report;
    out(args.output === 'json' ? formatJson(report) : formatTable(report));
    if (args.junit) {
      const single: OrganizationReport = {
        region,
        patternSet: report.patternSet,
        controls: report.controls.map((c) => c.id),
        integrityControls: report.integrity.map((c) => c.id),
        accounts: [{ accountId: report.account, status: report.status, report }],
        passed: report.status === 'PASS' ? 1 : 0,
        warnings: report.status === 'WARNING' ? 1 : 0,
        failed: report.status === 'FAIL' ? 1 : 0,
        unknown: report.status === 'UNKNOWN' ? 1 : 0,
        status: report.status,
      };
      fs.writeFileSync(args.junit, formatJunit(single));
    }
    if (args.html !== undefined) {
      const evidenceApi = io.evidenceApi ? io.evidenceApi(args.endpointUrl, region) : new SdkEvidenceApi(region, { endpoint: args.endpointUrl });
      let evidence: AccountEvidence;
      try {
        evidence = await collectAccountEvidence(evidenceInput(judged, region), evidenceApi, io.evidence);
      } finally {
        evidenceApi.destroy?.();
      }
      if (!writeEvidence(args.html, [evidence], io.evidence, err)) return EXIT.IO_ERROR;
    }
    if (report.status === 'UNKNOWN') {
      const first = report.controls.find((c) => c.status === 'UNKNOWN');
      err(`audit: ${report.unknown} control${report.unknown === 1 ? '' : 's'} could not be read (UNKNOWN in the report), e.g. ${first?.id}: `
        + `${first?.reason}\n  ${ACCESS_HINT}\n`);
    }
    return exitCodeOf(report.status);
  } catch (e) {
    if (e instanceof AuditApiError) {
      err(`audit: cannot read the account: ${e.message}\n  ${ACCESS_HINT}\n`);
      const patternSet = args.patternSet === 'any' ? 'any' : args.patternSet.name;
      if (args.html !== undefined && !writeEvidence(args.html, [unreadableAccountEvidence('(the current credentials\' account)', region, patternSet, e.message)],
        io.evidence, err)) return EXIT.IO_ERROR;
      return AUDIT_EXIT.ERROR;
    }
    throw e;
  }
}

/** `audit --organization` / `audit --accounts FILE`: every account through the role, a matrix, the worst exit code. */
async function runAccountsAudit(
  args: AuditArgs, region: string, ctx: { out: (t: string) => void; err: (t: string) => void; io?: Partial<AuditIo> },
): Promise<number> {
  const { out, err, io } = ctx;
  const roleName = args.roleName as string;
  const access = io?.access ? io.access(roleName, region, args.endpointUrl) : new SdkAccountAccess(roleName, region, { endpoint: args.endpointUrl });
  try {
    let accounts: OrgAccount[];
    if (args.accountsFile !== undefined) {
      try {
        accounts = parseAccountsFile(fs.readFileSync(args.accountsFile, 'utf8'), args.accountsFile);
      } catch (e) {
        err(`audit: --accounts: ${(e as Error).message}\n`);
        return AUDIT_EXIT.USAGE;
      }
    } else {
      try {
        accounts = await access.listAccounts();
      } catch (e) {
        if (!(e instanceof AuditApiError)) throw e;
        err(`audit: cannot list the organization's accounts: ${e.message}\n  Run it in the management account or a delegated `
          + 'administrator account (organizations:ListAccounts), or pass --accounts FILE.\n');
        return AUDIT_EXIT.ERROR;
      }
    }
    let failing = 0;
    let unknown = 0;
    const evidence = new Map<string, AccountEvidence>();
    const report = await runOrganizationAudit(accounts, access, {
      region,
      patternSet: args.patternSet,
      concurrency: args.concurrency,
      onJudged: args.html === undefined ? undefined : async (account, judged, api) => {
        const evidenceApi: EvidenceApi & { destroy?(): void } = access.evidenceApiFor?.(api) ?? NO_EVIDENCE_API;
        try {
          evidence.set(account.id, await collectAccountEvidence({ ...evidenceInput(judged, region), name: account.name }, evidenceApi, io?.evidence));
        } finally {
          evidenceApi.destroy?.();
        }
      },
      onAccountDone: io?.progress ? (done, total, result) => {
        if (result.status === 'FAIL') failing++;
        if (result.status === 'UNKNOWN') unknown++;
        err(`\raudit: ${done}/${total} accounts (${failing} failing, ${unknown} unknown)${done === total ? '\n' : ''}`);
      } : undefined,
    });
    out(args.output === 'json' ? formatOrganizationJson(report) : formatOrganizationTable(report));
    if (args.junit) fs.writeFileSync(args.junit, formatJunit(report));
    if (args.html !== undefined) {
      const pages = report.accounts.map((a) => evidence.get(a.accountId)
        ?? unreadableAccountEvidence(a.accountId, region, report.patternSet, a.reason ?? 'not read', a.name));
      if (!writeEvidence(args.html, pages, io?.evidence, err)) return EXIT.IO_ERROR;
    }
    const unreadable = report.accounts.filter((a) => !a.report);
    if (unreadable.length > 0) {
      err(`audit: ${unreadable.length} account${unreadable.length === 1 ? '' : 's'} could not be read, e.g. ${unreadable[0].accountId}: `
        + `${unreadable[0].reason}\n`);
    }
    return exitCodeOf(report.status);
  } finally {
    (access as { destroy?: () => void }).destroy?.();
  }
}

/** What the evidence report is built from: the account's verdicts as the runner gave them. */
function evidenceInput(judged: JudgedAccount, region: string) {
  return { account: judged.report.account, region, patternSet: judged.report.patternSet, snapshot: judged.snapshot, result: judged.result };
}

/** An access without evidence reads (a test's fake): every read says so, in the report. */
const NO_EVIDENCE_API: EvidenceApi = {
  getMetricData: () => Promise.reject(new Error('this account access cannot make evidence reads')),
  filterLogEvents: () => Promise.reject(new Error('this account access cannot make evidence reads')),
  describeAlarms: () => Promise.reject(new Error('this account access cannot make evidence reads')),
};

/** Writes the evidence report (`--html FILE`); false (with a message) when the file cannot be written. */
function writeEvidence(file: string, accounts: AccountEvidence[], options: EvidenceOptions | undefined, err: (t: string) => void): boolean {
  const report = evidenceReport(accounts, { producer: 'cdk-cis-log-monitoring audit --html', ...evidencePeriod(options ?? {}) });
  try {
    fs.writeFileSync(file, renderEvidenceHtml(report));
    return true;
  } catch (e) {
    err(`audit: cannot write --html ${file}: ${(e as Error).message}\n`);
    return false;
  }
}
