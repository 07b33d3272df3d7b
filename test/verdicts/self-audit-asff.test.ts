import { CisControl, CisPatternSet } from '../../src';
import { SelfAuditControl, SelfAuditSettings, asffFinding, configEvaluation } from '../../src/verdicts/live/self-audit';

// The ASFF limits Security Hub CSPM enforces (BatchImportFindings refuses a finding beyond them): Title 256,
// Description 1024, Remediation.Recommendation.Text 512, ProductFields values 2048 characters.

const SETTINGS: SelfAuditSettings = {
  account: '111111111111',
  region: 'eu-west-1',
  partition: 'aws',
  patternSet: CisPatternSet.CIS_V5_0_0,
  controls: [CisControl.ROOT_ACCOUNT_USAGE],
  namespace: 'CISBenchmark',
  alarmNamePrefix: 'P-',
  securityHub: true,
  now: new Date('2026-12-07T06:00:00Z'),
};

const control = (verdict: SelfAuditControl['verdict'], n = 1, length = 10): SelfAuditControl => ({
  id: '4.3',
  key: 'ROOT_ACCOUNT_USAGE',
  title: 'Ensure usage of the "root" account is monitored',
  verdict,
  reason: 'r'.repeat(length),
  findings: Array.from({ length: n }, (_, i) => ({ rule: `RULE-${i}`, verdict, message: 'm'.repeat(length), fix: `fix ${i} ${'f'.repeat(length)}` })),
});

test('long messages and many findings are clipped to the ASFF limits, never refused', () => {
  const f = asffFinding(control('FAIL', 40, 900), SETTINGS);
  expect(f.Title.length).toBeLessThanOrEqual(256);
  expect(f.Description.length).toBe(1024);
  expect(f.Description.endsWith('…')).toBe(true);
  expect(f.Remediation.Recommendation.Text.length).toBe(512);
  for (const value of Object.values(f.ProductFields)) expect(value.length).toBeLessThanOrEqual(2048);
});

test('the Id is stable across runs (updated in place) and differs per construct and control; the time moves', () => {
  const a = asffFinding(control('PASS'), SETTINGS);
  const b = asffFinding(control('FAIL'), { ...SETTINGS, now: new Date('2026-12-08T06:00:00Z') });
  expect(b.Id).toBe(a.Id);
  expect(b.UpdatedAt).not.toBe(a.UpdatedAt);
  expect(asffFinding(control('PASS'), { ...SETTINGS, alarmNamePrefix: 'Q-' }).Id).not.toBe(a.Id);
  expect(asffFinding({ ...control('PASS'), key: 'VPC_CHANGES' }, SETTINGS).Id).not.toBe(a.Id);
  expect(a.Compliance.RelatedRequirements).toEqual(['CIS AWS Foundations Benchmark 5.0.0/4.3']);
  expect(a.ProductArn).toBe('arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default');
});

test.each([
  ['PASS', 'PASSED', 'INFORMATIONAL'], ['WARNING', 'WARNING', 'LOW'], ['UNKNOWN', 'WARNING', 'MEDIUM'], ['FAIL', 'FAILED', 'HIGH'],
] as const)('%s is Compliance.Status %s, severity %s, and the verdict is named', (verdict, status, severity) => {
  const f = asffFinding(control(verdict), SETTINGS);
  expect([f.Compliance.Status, f.Severity.Label, f.ProductFields['cdk-cis-log-monitoring/Verdict']]).toEqual([status, severity, verdict]);
  expect(f.Description.startsWith(`${verdict}: `)).toBe(true);
});

test('an integrity control (MON.*) is not presented as a CIS requirement', () => {
  const f = asffFinding({ ...control('PASS'), id: 'MON.TAMPER', key: 'CUSTOM:MON.TAMPER', title: 'Monitoring integrity' }, SETTINGS);
  expect(f.Title).toBe('MON.TAMPER Monitoring integrity');
  expect(f.Compliance.RelatedRequirements).toEqual([]);
});

test('Config: COMPLIANT only when every control passes; a WARNING or UNKNOWN is NON_COMPLIANT; the annotation fits 256', () => {
  const at = new Date(0);
  expect(configEvaluation([control('PASS')], { PASS: 1, WARNING: 0, UNKNOWN: 0, FAIL: 0 }, '1', at).ComplianceType).toBe('COMPLIANT');
  expect(configEvaluation([control('PASS'), control('WARNING')], { PASS: 1, WARNING: 1, UNKNOWN: 0, FAIL: 0 }, '1', at).ComplianceType).toBe('NON_COMPLIANT');
  const many = Array.from({ length: 60 }, () => control('UNKNOWN'));
  const e = configEvaluation(many, { PASS: 0, WARNING: 0, UNKNOWN: 60, FAIL: 0 }, '1', at);
  expect(e.ComplianceType).toBe('NON_COMPLIANT');
  expect(e.Annotation.length).toBe(256);
});
