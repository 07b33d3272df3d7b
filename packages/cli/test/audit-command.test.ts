// `audit` runs on the declared-command mechanism (src/command.ts) as every other command: the progress line follows
// the CliIo's terminal flag, and usage errors (the parser's and audit's own) print the message and the usage, exit 1.
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
