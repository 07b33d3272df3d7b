import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCli } from './support/run-cli';

const run = (...argv: string[]) => runCli(argv);

describe('cdk-cis-log-monitoring catalog', () => {
  test('prints the RECOMMENDED patterns the construct deploys, with notes on corrections', async () => {
    const { code, stdout } = await run('catalog');
    expect(code).toBe(0);
    for (const control of CisPatternSet.RECOMMENDED.controls()) expect(stdout).toContain(control.patternFor(CisPatternSet.RECOMMENDED));
    expect(stdout).toContain('note: Adds `ModifySecurityGroupRules`');
  });

  test('--json with a set and the SSO option', async () => {
    const { code, stdout } = await run('catalog', '--pattern-set', 'security_hub', '--sso-aware-mfa', '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.patternSet).toBe('SECURITY_HUB');
    expect(doc.controls).toHaveLength(15);
    expect(doc.controls[1]).toMatchObject({ id: 'CloudWatch.3', pattern: CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.patternFor(CisPatternSet.SECURITY_HUB, true) });
  });

  test('CIS_V7_0_0: section-5 ids, the benchmark\'s text', async () => {
    const { code, stdout } = await run('catalog', '--pattern-set', 'cis_v7_0_0', '--json');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.patternSet).toBe('CIS_V7_0_0');
    expect(doc.controls.map((c: { id: string }) => c.id)).toEqual(Array.from({ length: 15 }, (_, i) => `5.${i + 1}`));
    expect(doc.controls[9]).toMatchObject({ key: 'SECURITY_GROUP_CHANGES', pattern: expect.stringContaining('ModifySecurityGroupRules'), correction: null });
  });

  test.each([
    [['catalog', '--pattern-set', 'CIS_V9'], /Unknown CIS pattern set "CIS_V9"/],
    [['catalog', '--pattern-set'], /--pattern-set needs a value/],
    [['catalog', '--bogus'], /unknown option "--bogus"/],
    [['catalog', '--pattern-set=CIS_V1_2_0', '--sso-aware-mfa'], /CIS_V1_2_0 has no SSO-aware variant/],
  ])('usage errors exit 1: %j', async (argv, message) => {
    const { code, stderr } = await run(...argv);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  test('--help', async () => {
    const { code, stdout } = await run('catalog', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: cdk-cis-log-monitoring catalog');
  });
});
