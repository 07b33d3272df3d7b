/**
 * Organization trail mode (issue 11 part 2), as a member account's checker sees it: the README's
 * "Organization trail mode" says member accounts fail CIS audit steps 2-7 with only the central monitoring on
 * the organization trail's log group, and pass once they have monitoring of their own (the StackSet rollout).
 * The audit runs the benchmark's procedure from the member account, as Security Hub and prowler do.
 */
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { FakeAccount, LOG_GROUP, REGION } from './fake-account';
import { runCisAudit } from '../../src/account/audit';

const MANAGEMENT = '999988887777';
const MEMBER = '111122223333';

/** The organization trail as DescribeTrails lists it in a member account (a shadow trail; the log group is the management account's). */
const ORGANIZATION_TRAIL = {
  name: 'aws-controltower-BaselineCloudTrail',
  arn: `arn:aws:cloudtrail:${REGION}:${MANAGEMENT}:trail/aws-controltower-BaselineCloudTrail`,
  homeRegion: REGION,
  isMultiRegionTrail: true,
  cloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${MANAGEMENT}:log-group:aws-controltower/CloudTrailLogs:*`,
  cloudWatchLogsRoleArn: `arn:aws:iam::${MANAGEMENT}:role/aws-controltower-CloudWatchLogsRole`,
};

test('NEGATIVE: a member account with only the central monitoring fails every control, naming the other account', async () => {
  const member = new FakeAccount(MEMBER);
  member.trails = [ORGANIZATION_TRAIL];
  member.filters = [];
  member.alarms = [];
  const report = await runCisAudit(member, { region: REGION, patternSet: CisPatternSet.RECOMMENDED });
  expect(report.status).toBe('FAIL');
  expect(report.passed).toBe(0);
  expect(report.trails[0].reason).toMatch(new RegExp(`^trail 'aws-controltower-BaselineCloudTrail' delivers to a log group of account ${MANAGEMENT}, `
    + `not of ${MEMBER}: .*\\[CIS-MON-TRAIL-LOG-GROUP-ACCOUNT\\]$`));
  // The management account's delivery role is not looked up with the member's credentials.
  expect(member.calls.filter((c) => c.startsWith('getRole'))).toEqual([]);
  // The member's credentials never read the management account's log group.
  expect(member.calls.filter((c) => c.includes('aws-controltower/CloudTrailLogs') && c.startsWith('describeMetricFilters'))).toEqual([]);
});

test('a member account with its own monitoring on its own trail (what the StackSet deploys) passes beside the organization trail', async () => {
  const member = new FakeAccount(MEMBER);
  member.trails = [ORGANIZATION_TRAIL, ...member.trails];
  const report = await runCisAudit(member, { region: REGION, patternSet: CisPatternSet.RECOMMENDED });
  expect(report.status).toBe('PASS');
  expect(report.controls.every((c) => c.logGroupName === LOG_GROUP)).toBe(true);
});
