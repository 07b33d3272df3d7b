"""Synthesizes the Python app and checks its template against the catalog, through the Python binding."""
import json

import pytest
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Match, Template
from cdk_cis_log_monitoring import CisControl, CisLogMonitoring, CisPatternSet, LogFilterPattern

from cis_monitoring_app import BREAK_GLASS, CisMonitoringStack, SelfMonitoredStack

PATTERN_SET = CisPatternSet.CIS_V3_0_0
EMAILS = ["secops@example.com", "oncall@example.com"]


@pytest.fixture(scope="module")
def stack() -> CisMonitoringStack:
    return CisMonitoringStack(App(), "CisMonitoring")


@pytest.fixture(scope="module")
def template(stack: CisMonitoringStack) -> Template:
    return Template.from_stack(stack)


def expected_controls():
    return [*PATTERN_SET.controls(), BREAK_GLASS]


def test_catalog_as_python_sees_it():
    assert len(CisControl.all()) == 15
    assert [s.name for s in CisPatternSet.all()] == [
        "RECOMMENDED", "CIS_V1_2_0", "CIS_V1_4_0", "CIS_V3_0_0", "CIS_V5_0_0", "CIS_V6_0_0", "CIS_V7_0_0",
        "SECURITY_HUB"]
    # Each access returns a new Python proxy of the same JavaScript object: compare by name or key.
    assert CisPatternSet.from_name("cis_v3_0_0").name == PATTERN_SET.name
    assert len(CisPatternSet.CIS_V1_2_0.controls()) == 14
    assert CisControl.ROOT_ACCOUNT_USAGE.id == "4.3"
    assert CisControl.ROOT_ACCOUNT_USAGE.key == "ROOT_ACCOUNT_USAGE"
    assert CisControl.from_key("4.3").key == CisControl.ROOT_ACCOUNT_USAGE.key
    assert BREAK_GLASS.is_custom and BREAK_GLASS.id == "ACME.1"
    assert BREAK_GLASS.alarm_name == "break_glass_alarm"
    with pytest.raises(Exception, match="Unknown CIS pattern set"):
        CisPatternSet.from_name("CIS_V9")


def test_resource_counts(template: Template):
    controls = expected_controls()
    assert len(controls) == 16
    # + the self-monitoring (docs/self-monitoring.md): 5 tamper filters, the heartbeat and tamper alarms
    template.resource_count_is("AWS::Logs::MetricFilter", len(controls) + 5)
    template.resource_count_is("AWS::CloudWatch::Alarm", len(controls) + 2)
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "AlarmName": "Prod-delivery_heartbeat_alarm", "Namespace": "AWS/Logs", "MetricName": "IncomingLogEvents",
        "TreatMissingData": "breaching", "Period": 300, "EvaluationPeriods": 12, "DatapointsToAlarm": 12,
    })
    template.resource_count_is("AWS::SNS::Topic", 1)
    template.resource_count_is("AWS::SNS::TopicPolicy", 1)
    template.resource_count_is("AWS::KMS::Key", 1)
    template.resource_count_is("AWS::SNS::Subscription", len(EMAILS))


def test_each_control_has_its_pattern_and_alarm(template: Template):
    for control in expected_controls():
        pattern = control.pattern_for(PATTERN_SET, True)
        template.has_resource_properties("AWS::Logs::MetricFilter", {
            "FilterName": control.metric_name,
            "FilterPattern": pattern,
            "MetricTransformations": [{
                "MetricName": control.metric_name,
                "MetricNamespace": "CISBenchmark",
                "MetricValue": "1",
            }],
        })
        template.has_resource_properties("AWS::CloudWatch::Alarm", {
            "AlarmName": "Prod-" + control.alarm_name,
            "MetricName": control.metric_name,
            "Namespace": "CISBenchmark",
            "Period": 300,
            "Statistic": "Sum",
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "AlarmActions": [{"Ref": Match.string_like_regexp("Topic")}],
        })


def test_sso_aware_mfa_pattern_is_deployed(template: Template):
    mfa = CisControl.CONSOLE_SIGNIN_WITHOUT_MFA
    sso_aware = mfa.pattern_for(PATTERN_SET, True)
    assert sso_aware != mfa.pattern_for(PATTERN_SET, False)
    assert '$.userIdentity.type = "IAMUser"' in sso_aware
    filters = template.find_resources("AWS::Logs::MetricFilter", {
        "Properties": {"MetricTransformations": [{"MetricName": mfa.metric_name}]}})
    assert [f["Properties"]["FilterPattern"] for f in filters.values()] == [sso_aware]


def test_custom_control_pattern(template: Template):
    template.has_resource_properties("AWS::Logs::MetricFilter", {
        "FilterName": "break_glass_metric",
        "FilterPattern": '{ ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "*break-glass*") }',
    })
    pattern = LogFilterPattern.parse(BREAK_GLASS.pattern_for(PATTERN_SET))
    record = {"eventName": "AssumeRole", "requestParameters": {"roleArn": "arn:aws:iam::111122223333:role/break-glass-admin"}}
    assert pattern.matches(record)
    assert pattern.matches_json(json.dumps(record))
    assert not pattern.matches_json(json.dumps({**record, "eventName": "GetCallerIdentity"}))


def test_email_subscriptions_on_encrypted_topic(template: Template):
    for email in EMAILS:
        template.has_resource_properties("AWS::SNS::Subscription", {
            "Protocol": "email",
            "Endpoint": email,
            "TopicArn": {"Ref": Match.string_like_regexp("Topic")},
        })
    template.has_resource_properties("AWS::SNS::Topic", {
        "KmsMasterKeyId": {"Fn::GetAtt": [Match.string_like_regexp("Key"), "Arn"]},
    })


def test_construct_members(stack: CisMonitoringStack):
    monitoring = stack.monitoring
    assert [c.key for c in monitoring.controls] == [c.key for c in expected_controls()]
    assert monitoring.pattern_set.name == PATTERN_SET.name
    assert len(monitoring.alarms) == 16 and len(monitoring.metric_filters) == 16
    assert monitoring.alarm_name_prefix == "Prod-"
    assert monitoring.topic_encryption_key is not None
    assert monitoring.alarm_for(BREAK_GLASS).node.path == "CisMonitoring/Cis/CustomACME1/Alarm"
    assert monitoring.metric_filter_for(CisControl.ROOT_ACCOUNT_USAGE).node.path == "CisMonitoring/Cis/RootAccountUsage/MetricFilter"


def test_invalid_input_raises_in_python():
    stack = Stack(App(), "Bad")
    group = logs.LogGroup(stack, "Logs")
    with pytest.raises(Exception, match="has no SSO-aware variant"):
        CisLogMonitoring(stack, "Cis", log_group=group, pattern_set=CisPatternSet.CIS_V1_2_0, sso_aware_mfa_filter=True,
                         alarm_period=Duration.minutes(5))


def test_filter_pattern_syntax_errors_reach_python():
    broken = '{ ($.eventName = "ConsoleLogin" }'
    with pytest.raises(Exception, match=r"Expected .* at position \d+"):
        LogFilterPattern.parse(broken)
    [problem] = LogFilterPattern.validate(broken)
    assert problem.startswith("Invalid filter pattern: Expected")
    assert LogFilterPattern.validate(CisControl.ROOT_ACCOUNT_USAGE.pattern_for(PATTERN_SET)) == []


def test_exclusions_keep_compliance_and_add_an_operational_alarm():
    """An exclusion (issue 10.1) through the Python binding: the compliance filter keeps the benchmark's exact
    pattern; the operational filter drops the excluded principal's events and keeps events without the field."""
    from cdk_cis_log_monitoring import CisExclusion

    stack = Stack(App(), "WithExclusions")
    group = logs.LogGroup(stack, "Logs")
    control = CisControl.UNAUTHORIZED_API_CALLS
    monitoring = CisLogMonitoring(stack, "Cis", log_group=group, pattern_set=PATTERN_SET, emails=["secops@example.com"],
                                  operational_emails=["oncall@example.com"],
                                  exclusions=[CisExclusion(
                                      principal_arns=["arn:aws:sts::111122223333:assumed-role/terraform-apply/*"],
                                      controls=[control], reason="nightly terraform plan", owner="platform-team",
                                      expires="2099-12-31")])
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::Logs::MetricFilter", {
        "FilterName": control.metric_name, "FilterPattern": control.pattern_for(PATTERN_SET, False)})
    operational = template.find_resources("AWS::Logs::MetricFilter", {
        "Properties": {"FilterName": control.metric_name + "_operational"}})
    [pattern_text] = [f["Properties"]["FilterPattern"] for f in operational.values()]
    pattern = LogFilterPattern.parse(pattern_text)
    denied = {"errorCode": "AccessDenied", "eventName": "GetObject", "sourceIPAddress": "203.0.113.9",
              "userIdentity": {"arn": "arn:aws:sts::111122223333:assumed-role/terraform-apply/run-42"}}
    assert LogFilterPattern.parse(control.pattern_for(PATTERN_SET, False)).matches(denied)
    assert not pattern.matches(denied)
    assert pattern.matches({**denied, "userIdentity": {"arn": "arn:aws:iam::111122223333:user/mallory"}})
    assert pattern.matches({**denied, "userIdentity": {"type": "Root"}})
    assert monitoring.operational_alarm_for(control).node.path == "WithExclusions/Cis/UnauthorizedApiCalls/OperationalAlarm"


def test_expired_exclusion_fails_in_python():
    from cdk_cis_log_monitoring import CisExclusion

    stack = Stack(App(), "Expired")
    group = logs.LogGroup(stack, "Logs")
    with pytest.raises(Exception, match="expired"):
        CisLogMonitoring(stack, "Cis", log_group=group, emails=["secops@example.com"],
                         exclusions=[CisExclusion(principal_arns=["arn:aws:iam::111122223333:role/ci"], reason="ci",
                                                  owner="platform-team", expires="2020-01-01")])


def test_real_time_rules_in_python():
    """realTime (docs/realtime.md) through the Python binding: one EventBridge rule per control; root usage (4.3)
    gets the compiled pattern and sees read-only management events too."""
    stack = Stack(App(), "RealTime")
    group = logs.LogGroup(stack, "Logs")
    monitoring = CisLogMonitoring(stack, "Cis", log_group=group, emails=["secops@example.com"], real_time=True)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Events::Rule", 15)
    assert len(monitoring.real_time_rules) == 15
    root = {k: v for k, v in template.find_resources("AWS::Events::Rule").items()
            if k.startswith("CisRootAccountUsageRealTimeRule")}
    [rule] = [r["Properties"] for r in root.values()]
    assert rule["State"] == "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
    assert rule["EventPattern"] == {
        "source": [{"prefix": "aws."}],
        "detail-type": [{"suffix": " via CloudTrail"}],
        "detail": {"eventType": [{"anything-but": "AwsServiceEvent"}],
                   "userIdentity": {"invokedBy": [{"exists": False}], "type": ["Root"]}},
    }
    assert "Topic" in rule["Targets"][0]["Arn"]["Ref"]


def test_self_monitoring_props_in_python():
    stack = SelfMonitoredStack(App(), "SelfMonitored")
    template = Template.from_stack(stack)
    # The heartbeat over 2 hours: 24 periods of 5 minutes, missing data breaching.
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "Namespace": "AWS/Logs", "MetricName": "IncomingLogEvents", "TreatMissingData": "breaching",
        "Period": 300, "EvaluationPeriods": 24, "DatapointsToAlarm": 24,
    })
    template.has_resource_properties("AWS::CloudWatch::Alarm", {"MetricName": "monitoring_tamper_metric"})
    # The self-audit: its function, its schedule, its alarm, Security Hub and Config.
    assert stack.monitoring.self_audit_function is not None
    template.has_resource_properties("AWS::Events::Rule", {"ScheduleExpression": "rate(12 hours)"})
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "SelfAuditNotPassing", "TreatMissingData": "breaching",
    })
    template.resource_count_is("AWS::Config::ConfigRule", 1)
    policies = json.dumps(template.find_resources("AWS::IAM::ManagedPolicy"))
    assert "securityhub:BatchImportFindings" in policies
    assert "config:PutEvaluations" in policies
    assert "s3:PutObject" in policies and "/cis/*" in policies
    assert "sts:AssumeRole" in policies and ":iam::222222222222:role/CisMonitoringAudit" in policies
    # Without the props: no function, no Config rule.
    plain = Template.from_stack(CisMonitoringStack(App(), "Plain"))
    plain.resource_count_is("AWS::Config::ConfigRule", 0)
    plain.resource_count_is("AWS::Lambda::Function", 0)
