import { CisControl, CisPatternSet } from '../../src/catalog';

describe('CisControl catalog', () => {
  test('lists the fifteen v3.0.0 controls in benchmark order with their placeholder metric names', () => {
    expect(CisControl.all().map((c) => [c.id, c.key, c.metricName, c.securityHubId ?? '-'])).toEqual([
      ['4.1', 'UNAUTHORIZED_API_CALLS', 'unauthorized_api_calls_metric', 'CloudWatch.2'],
      ['4.2', 'CONSOLE_SIGNIN_WITHOUT_MFA', 'no_mfa_console_signin_metric', 'CloudWatch.3'],
      ['4.3', 'ROOT_ACCOUNT_USAGE', 'root_usage_metric', 'CloudWatch.1'],
      ['4.4', 'IAM_POLICY_CHANGES', 'iam_changes_metric', 'CloudWatch.4'],
      ['4.5', 'CLOUDTRAIL_CONFIG_CHANGES', 'cloudtrail_cfg_changes_metric', 'CloudWatch.5'],
      ['4.6', 'CONSOLE_AUTH_FAILURES', 'console_signin_failure_metric', 'CloudWatch.6'],
      ['4.7', 'CMK_DISABLE_OR_DELETION', 'disable_or_delete_cmk_changes_metric', 'CloudWatch.7'],
      ['4.8', 'S3_BUCKET_POLICY_CHANGES', 's3_bucket_policy_changes_metric', 'CloudWatch.8'],
      ['4.9', 'CONFIG_CHANGES', 'aws_config_changes_metric', 'CloudWatch.9'],
      ['4.10', 'SECURITY_GROUP_CHANGES', 'security_group_changes_metric', 'CloudWatch.10'],
      ['4.11', 'NACL_CHANGES', 'nacl_changes_metric', 'CloudWatch.11'],
      ['4.12', 'NETWORK_GATEWAY_CHANGES', 'network_gw_changes_metric', 'CloudWatch.12'],
      ['4.13', 'ROUTE_TABLE_CHANGES', 'route_table_changes_metric', 'CloudWatch.13'],
      ['4.14', 'VPC_CHANGES', 'vpc_changes_metric', 'CloudWatch.14'],
      ['4.15', 'ORGANIZATIONS_CHANGES', 'organizations_changes', '-'],
    ]);
  });

  test('static instances are the catalog entries (one object per control)', () => {
    expect(CisControl.all()[2]).toBe(CisControl.ROOT_ACCOUNT_USAGE);
    expect(CisControl.fromKey('root_account_usage')).toBe(CisControl.ROOT_ACCOUNT_USAGE);
    expect(CisControl.fromKey('4.15')).toBe(CisControl.ORGANIZATIONS_CHANGES);
    expect(() => CisControl.fromKey('4.16')).toThrow(/Unknown CIS control "4.16"/);
  });

  test('carries ids per benchmark version', () => {
    expect(CisControl.UNAUTHORIZED_API_CALLS.benchmarkIds).toEqual({ '1.2.0': '3.1', '1.4.0': '4.1', '3.0.0': '4.1', '5.0.0': '4.1', '6.0.0': '5.1', '7.0.0': '5.1' });
    expect(CisControl.ORGANIZATIONS_CHANGES.benchmarkIds).toEqual({ '1.4.0': '4.15', '3.0.0': '4.15', '5.0.0': '4.15', '6.0.0': '5.15', '7.0.0': '5.15' });
    expect(CisControl.UNAUTHORIZED_API_CALLS.idIn(CisPatternSet.CIS_V1_2_0)).toBe('3.1');
    expect(CisControl.UNAUTHORIZED_API_CALLS.idIn(CisPatternSet.SECURITY_HUB)).toBe('CloudWatch.2');
    expect(CisControl.ORGANIZATIONS_CHANGES.idIn(CisPatternSet.SECURITY_HUB)).toBeUndefined();
    expect(CisControl.ORGANIZATIONS_CHANGES.idIn(CisPatternSet.CIS_V1_2_0)).toBeUndefined();
    expect(CisControl.VPC_CHANGES.idIn(CisPatternSet.RECOMMENDED)).toBe('4.14');
  });
});

describe('CisPatternSet', () => {
  test('v1.2.0 has 14 controls (no Organizations); every other set has 15', () => {
    expect(CisPatternSet.all().map((set) => [set.name, set.controls().length])).toEqual([
      ['RECOMMENDED', 15], ['CIS_V1_2_0', 14], ['CIS_V1_4_0', 15], ['CIS_V3_0_0', 15], ['CIS_V5_0_0', 15], ['CIS_V6_0_0', 15], ['CIS_V7_0_0', 15],
      ['SECURITY_HUB', 15],
    ]);
    expect(CisPatternSet.CIS_V1_2_0.controls()).not.toContain(CisControl.ORGANIZATIONS_CHANGES);
  });

  test('fromName is case-insensitive and lists the valid names when unknown', () => {
    expect(CisPatternSet.fromName('cis_v5_0_0')).toBe(CisPatternSet.CIS_V5_0_0);
    expect(() => CisPatternSet.fromName('CIS_V2')).toThrow(
      'Unknown CIS pattern set "CIS_V2". Use one of: RECOMMENDED, CIS_V1_2_0, CIS_V1_4_0, CIS_V3_0_0, CIS_V5_0_0, CIS_V6_0_0, CIS_V7_0_0, SECURITY_HUB.');
  });

  test('asking for a control a set lacks names the fix', () => {
    expect(() => CisControl.ORGANIZATIONS_CHANGES.patternFor(CisPatternSet.CIS_V1_2_0)).toThrow(/no AWS Organizations control/);
    expect(() => CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.patternFor(CisPatternSet.CIS_V1_2_0, true)).toThrow(/no SSO-aware variant/);
  });
});

describe('pattern text', () => {
  // Pins every exact string of every set: a changed character fails here and must be reviewed.
  test.each(CisPatternSet.all().map((set) => [set.name, set]))('%s strings are pinned', (_name, set) => {
    const table = Object.fromEntries(set.controls().map((c) => [c.key, c.patternFor(set)]));
    expect(table).toMatchSnapshot();
  });

  test('SSO-aware variants are pinned', () => {
    const table = Object.fromEntries(CisPatternSet.all().filter((set) => set !== CisPatternSet.CIS_V1_2_0)
      .map((set) => [set.name, CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.patternFor(set, true)]));
    expect(table).toMatchSnapshot();
  });

  test('the SSO option only changes the console sign-in without MFA control', () => {
    for (const set of CisPatternSet.all()) {
      for (const control of set.controls()) {
        if (control === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA) continue;
        expect(control.patternFor(set, true)).toBe(control.patternFor(set, false));
      }
    }
  });

  test('v3.0.0 4.1 is the printed text, ungrouped', () => {
    expect(CisControl.UNAUTHORIZED_API_CALLS.patternFor(CisPatternSet.CIS_V3_0_0)).toBe(
      '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }');
    expect(CisControl.UNAUTHORIZED_API_CALLS.correctionIn(CisPatternSet.CIS_V3_0_0)).toBeUndefined();
  });

  test('corrections are exactly where the printed text is broken or RECOMMENDED improves it', () => {
    const corrected = CisPatternSet.all().flatMap((set) => set.controls()
      .filter((c) => c.correctionIn(set) !== undefined).map((c) => `${set.name}:${c.id}`));
    expect(corrected).toEqual(['RECOMMENDED:4.1', 'RECOMMENDED:4.10', 'RECOMMENDED:4.13', 'RECOMMENDED:4.15', 'CIS_V1_4_0:4.1']);
  });

  test('every pattern fits the 1024-character limit', () => {
    for (const set of CisPatternSet.all()) {
      for (const control of set.controls()) expect(control.patternFor(set).length).toBeLessThanOrEqual(1024);
    }
  });
});

describe('CisControl.custom', () => {
  test('keeps the user pattern for every set and derives the alarm name', () => {
    const control = CisControl.custom({ id: 'ACME.1', title: 'Break-glass role used', pattern: '{ $.userIdentity.arn = "*break-glass*" }', metricName: 'break_glass_metric' });
    expect(control.isCustom).toBe(true);
    expect(control.alarmName).toBe('break_glass_alarm');
    expect(control.constructId).toBe('CustomACME1');
    expect(control.patternFor(CisPatternSet.CIS_V1_2_0)).toBe('{ $.userIdentity.arn = "*break-glass*" }');
    expect(control.idIn(CisPatternSet.SECURITY_HUB)).toBe('ACME.1');
    expect(CisControl.custom({ id: 'x', title: 't', pattern: '{ $.a = 1 }', metricName: 'm' }).alarmName).toBe('m_alarm');
  });

  test.each([
    [{ id: ' ', title: 't', pattern: 'p', metricName: 'm' }, /`id` must be a non-empty string/],
    [{ id: 'A', title: '', pattern: 'p', metricName: 'm' }, /`title` must be a non-empty string/],
    [{ id: 'A', title: 't', pattern: undefined as unknown as string, metricName: 'm' }, /`pattern` must be a string/],
    [{ id: 'A', title: 't', pattern: 'p', metricName: '' }, /`metricName` must be a non-empty string/],
  ])('rejects bad options %#', (options, message) => {
    expect(() => CisControl.custom(options)).toThrow(message);
  });
});
