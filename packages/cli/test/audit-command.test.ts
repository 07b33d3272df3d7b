// `audit` runs on the declared-command mechanism (src/command.ts) as every other command: the progress line follows
// the CliIo's terminal flag, and usage errors (the parser's and audit's own) print the message and the usage, exit 1.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { FakeAccount, REGION } from './audit/fake-account';
import { AccountAccess } from '../src/account/organization';
import { CliIo } from '../src/command';
import { AUDIT_USAGE, auditCommand } from '../src/commands/audit/command';
import { EXIT } from '../src/exit-codes';

const ORG: AccountAccess = {
  listAccounts: async () => [{ id: '100000000000', name: 'a' }, { id: '100000000001', name: 'b' }],
  apiFor: async (account) => new FakeAccount(account.id),
  release: () => undefined,
};

async function run(argv: string[], stderrIsTTY: boolean) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = (s: PassThrough) => { const chunks: Buffer[] = []; s.on('data', (c: Buffer) => chunks.push(c)); return () => Buffer.concat(chunks).toString(); };
  const [out, err] = [text(stdout), text(stderr)];
  const io: CliIo = { stdout, stderr, stderrIsTTY };
  const code = await auditCommand({ env: {}, access: () => ORG }).run(argv, io);
  return { code, stdout: out(), stderr: err() };
}

const ORGANIZATION = ['--region', REGION, '--organization', '--role-name', 'Auditor'];

test('the progress line is drawn only when stderr is a terminal', async () => {
  const tty = await run(ORGANIZATION, true);
  expect(tty.code).toBe(EXIT.OK);
  expect(tty.stderr).toContain('\raudit: 2/2 accounts (0 failing, 0 unknown)\n');
  const piped = await run(ORGANIZATION, false);
  expect(piped).toMatchObject({ code: EXIT.OK, stderr: '' });
  expect(piped.stdout).toBe(tty.stdout);
});

test.each([
  [['--role-name', 'Auditor'], 'audit: --role-name needs --organization or --accounts FILE\n\n'],
  [['--organization'], 'audit: --organization needs --role-name NAME (the role to assume in each account)\n\n'],
  [['--output', 'xml'], 'audit: --output must be'],
  [['--organization', '--accounts', 'f', '--role-name', 'A'], 'audit: --organization and --accounts exclude each other: give one\n\n'],
])('audit %j: the message, then the usage; exit 1', async (argv, message) => {
  const { code, stdout, stderr } = await run(argv, false);
  expect(code).toBe(EXIT.USAGE);
  expect(stdout).toBe('');
  expect(stderr.startsWith(message)).toBe(true);
  expect(stderr.endsWith(AUDIT_USAGE)).toBe(true);
});

test('--help prints the usage on stdout, exit 0', async () => {
  expect(await run(['--help'], false)).toEqual({ code: EXIT.OK, stdout: AUDIT_USAGE, stderr: '' });
});

describe('--html FILE (the evidence report)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-html-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a missing directory or a directory is a usage error before any account is read; --help lists it', async () => {
    const missing = await run([...ORGANIZATION, '--html', path.join(dir, 'no-such-dir', 'r.html')], false);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toContain('does not exist');
    expect(missing.stdout).toBe('');
    expect((await run([...ORGANIZATION, '--html', dir], false)).stderr).toContain('is a directory');
    expect(AUDIT_USAGE).toMatch(/--html FILE +also write the evidence report as one self-contained HTML page/);
  });

  test('an access that cannot make the evidence reads: every account says "could not read", the verdicts and the output stay', async () => {
    const file = path.join(dir, 'org.html');
    const plain = await run(ORGANIZATION, false);
    const withHtml = await run([...ORGANIZATION, '--html', file], false);
    expect(withHtml).toEqual(plain);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.match(/<section class="account" [^>]*data-verdict="PASS">/g)).toHaveLength(2);
    const cells = html.match(/<td class="last-delivery"><span class="problem">could not read: [^<]*<\/span>/g) ?? [];
    expect(cells).toHaveLength(2);
    expect(cells[0]).toContain('this account access cannot make evidence reads');
    expect(html.match(/<p class="problem tamper-error">Could not read: FilterLogEvents/g)!.length).toBeGreaterThanOrEqual(2);
  });
});
