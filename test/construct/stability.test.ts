import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { synth } from './helpers';
import { CisLogMonitoringProps, CisPatternSet } from '../../src';

// Logical IDs are API: renaming one makes CloudFormation replace the resource in users' accounts
// (an alarm loses its state and history; a new topic makes every recipient confirm their e-mail again).
const PINNED_LOGICAL_IDS: Record<string, string> = {
  CisTopicKey5050FA0D: 'AWS::KMS::Key',
  CisTopicBFD955AA: 'AWS::SNS::Topic',
  CisTopicPolicyA7CF5D81: 'AWS::SNS::TopicPolicy',
  CisEmailsecopsexamplecomA57BFEBD: 'AWS::SNS::Subscription',
  CisUnauthorizedApiCallsMetricFilter0620B6E3: 'AWS::Logs::MetricFilter',
  CisUnauthorizedApiCallsAlarm4A0A83B1: 'AWS::CloudWatch::Alarm',
  CisConsoleSigninWithoutMfaMetricFilter4B0311AB: 'AWS::Logs::MetricFilter',
  CisConsoleSigninWithoutMfaAlarm82EB91EE: 'AWS::CloudWatch::Alarm',
  CisRootAccountUsageMetricFilter8E2FE0C6: 'AWS::Logs::MetricFilter',
  CisRootAccountUsageAlarm5F6E3356: 'AWS::CloudWatch::Alarm',
  CisIamPolicyChangesMetricFilterCA263CCF: 'AWS::Logs::MetricFilter',
  CisIamPolicyChangesAlarm193BB553: 'AWS::CloudWatch::Alarm',
  CisCloudTrailConfigChangesMetricFilter0CB1120A: 'AWS::Logs::MetricFilter',
  CisCloudTrailConfigChangesAlarm1DA1A805: 'AWS::CloudWatch::Alarm',
  CisConsoleAuthFailuresMetricFilter5949FB2F: 'AWS::Logs::MetricFilter',
  CisConsoleAuthFailuresAlarm61BDF59A: 'AWS::CloudWatch::Alarm',
  CisCmkDisableOrDeletionMetricFilter22219536: 'AWS::Logs::MetricFilter',
  CisCmkDisableOrDeletionAlarm77A68CC5: 'AWS::CloudWatch::Alarm',
  CisS3BucketPolicyChangesMetricFilter4F77B6C4: 'AWS::Logs::MetricFilter',
  CisS3BucketPolicyChangesAlarmFB9A7840: 'AWS::CloudWatch::Alarm',
  CisConfigChangesMetricFilter572C1AD5: 'AWS::Logs::MetricFilter',
  CisConfigChangesAlarm434BFAFA: 'AWS::CloudWatch::Alarm',
  CisSecurityGroupChangesMetricFilterFAB6B66F: 'AWS::Logs::MetricFilter',
  CisSecurityGroupChangesAlarmDB29E732: 'AWS::CloudWatch::Alarm',
  CisNaclChangesMetricFilterB70F3350: 'AWS::Logs::MetricFilter',
  CisNaclChangesAlarmBCA4172F: 'AWS::CloudWatch::Alarm',
  CisNetworkGatewayChangesMetricFilterB66A1B5C: 'AWS::Logs::MetricFilter',
  CisNetworkGatewayChangesAlarm084264AF: 'AWS::CloudWatch::Alarm',
  CisRouteTableChangesMetricFilter96C5141E: 'AWS::Logs::MetricFilter',
  CisRouteTableChangesAlarm8C7F10BE: 'AWS::CloudWatch::Alarm',
  CisVpcChangesMetricFilter3A7D1D0E: 'AWS::Logs::MetricFilter',
  CisVpcChangesAlarm8C7B9297: 'AWS::CloudWatch::Alarm',
  CisOrganizationsChangesMetricFilterF7173E5B: 'AWS::Logs::MetricFilter',
  CisOrganizationsChangesAlarm14061A5C: 'AWS::CloudWatch::Alarm',
  // Issue 10 part 3: one Logs Insights saved query per control (added; nothing above moved).
  CisUnauthorizedApiCallsWhoDidItQueryFC8445AE: 'AWS::Logs::QueryDefinition',
  CisConsoleSigninWithoutMfaWhoDidItQuery59215958: 'AWS::Logs::QueryDefinition',
  CisRootAccountUsageWhoDidItQuery28039720: 'AWS::Logs::QueryDefinition',
  CisIamPolicyChangesWhoDidItQuery92A4D700: 'AWS::Logs::QueryDefinition',
  CisCloudTrailConfigChangesWhoDidItQuery87C24E5D: 'AWS::Logs::QueryDefinition',
  CisConsoleAuthFailuresWhoDidItQuery2200DDD3: 'AWS::Logs::QueryDefinition',
  CisCmkDisableOrDeletionWhoDidItQuery9161D6D9: 'AWS::Logs::QueryDefinition',
  CisS3BucketPolicyChangesWhoDidItQuery64DB6E0D: 'AWS::Logs::QueryDefinition',
  CisConfigChangesWhoDidItQueryA34210BB: 'AWS::Logs::QueryDefinition',
  CisSecurityGroupChangesWhoDidItQuery4DB4C7BD: 'AWS::Logs::QueryDefinition',
  CisNaclChangesWhoDidItQuery70FC490F: 'AWS::Logs::QueryDefinition',
  CisNetworkGatewayChangesWhoDidItQueryCBDDD601: 'AWS::Logs::QueryDefinition',
  CisRouteTableChangesWhoDidItQuery325F7F46: 'AWS::Logs::QueryDefinition',
  CisVpcChangesWhoDidItQueryE0208551: 'AWS::Logs::QueryDefinition',
  // Issue 20: the delivery heartbeat and the tamper control (added, on by default).
  CisDeliveryHeartbeatAlarm98EC72EC: 'AWS::CloudWatch::Alarm',
  CisTamperAlarmF7AA2174: 'AWS::CloudWatch::Alarm',
  CisTamperCloudtrailMetricFilterDE7E16C6: 'AWS::Logs::MetricFilter',
  CisTamperCloudwatchMetricFilter67B3CC68: 'AWS::Logs::MetricFilter',
  CisTamperKmsMetricFilterA334B65E: 'AWS::Logs::MetricFilter',
  CisTamperLogsMetricFilter1EE08783: 'AWS::Logs::MetricFilter',
  CisTamperSnsMetricFilter0D457532: 'AWS::Logs::MetricFilter',
  CisOrganizationsChangesWhoDidItQueryEA073716: 'AWS::Logs::QueryDefinition',
};

/** Properties that, when changed, make CloudFormation replace the resource (per the resource type's schema). */
const REPLACING_PROPERTIES: Record<string, string[]> = {
  'AWS::Logs::MetricFilter': ['FilterName', 'LogGroupName'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::SNS::Topic': ['TopicName', 'FifoTopic'],
  'AWS::SNS::Subscription': ['Endpoint', 'Protocol', 'TopicArn'],
  'AWS::KMS::Key': [],
  'AWS::SNS::TopicPolicy': [],
  'AWS::Logs::QueryDefinition': [],
};

function resources(props: Partial<CisLogMonitoringProps>): Record<string, any> {
  const all = synth(props).template.toJSON().Resources as Record<string, any>;
  return Object.fromEntries(Object.entries(all).filter(([id]) => id.startsWith('Cis')));
}

describe('construct paths and logical IDs are stable', () => {
  test('the default deployment has exactly the pinned logical IDs', () => {
    expect(Object.fromEntries(Object.entries(resources({})).map(([id, r]) => [id, r.Type]))).toEqual(PINNED_LOGICAL_IDS);
  });

  test('construct paths of a control are <construct>/<Control>/MetricFilter and /Alarm', () => {
    const { monitoring } = synth({});
    expect(monitoring.alarms.map((a) => a.node.path)).toContain('TestStack/Cis/RootAccountUsage/Alarm');
    expect(monitoring.metricFilters.map((f) => f.node.path)).toContain('TestStack/Cis/OrganizationsChanges/MetricFilter');
  });

  const changes: [string, Partial<CisLogMonitoringProps>][] = [
    ...CisPatternSet.all().filter((s) => s !== CisPatternSet.CIS_V1_2_0).map((set): [string, Partial<CisLogMonitoringProps>] => [`pattern set ${set.name}`, { patternSet: set }]),
    ['ssoAwareMfaFilter', { ssoAwareMfaFilter: true }],
    ['threshold and period', { alarmThreshold: 5, alarmPeriod: Duration.minutes(15) }],
    ['OK notifications', { okNotifications: true }],
  ];

  test.each(changes)('switching to %s changes properties only: no resource is added, removed or replaced', (_name, props) => {
    const before = resources({});
    const after = resources(props);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [id, resource] of Object.entries(after)) {
      for (const property of REPLACING_PROPERTIES[resource.Type] ?? []) {
        expect([id, property, resource.Properties?.[property]]).toEqual([id, property, before[id].Properties?.[property]]);
      }
    }
  });

  test('CIS v1.2.0 only drops the Organizations control; the other 14 keep their IDs', () => {
    const ids = Object.keys(resources({ patternSet: CisPatternSet.CIS_V1_2_0 })).sort();
    expect(ids).toEqual(Object.keys(PINNED_LOGICAL_IDS).filter((id) => !id.startsWith('CisOrganizationsChanges')).sort());
  });

  test('adding an e-mail address keeps the existing subscription', () => {
    const ids = Object.keys(resources({ emails: ['new@example.com', 'secops@example.com'] }));
    expect(ids).toContain('CisEmailsecopsexamplecomA57BFEBD');
  });

  test('the template is valid JSON for CloudFormation (sanity of the Template API)', () => {
    expect(() => Template.fromJSON(synth({}).template.toJSON())).not.toThrow();
  });
});
