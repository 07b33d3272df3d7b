"""A CDK app in Python that uses cdk-cis-log-monitoring, as its README shows it.

test_cis_monitoring_app.py synthesizes this stack and checks the template; the regions between the
``--8<--`` markers are copied into docs/bindings/python.md (``npx projen docs:bindings``).
"""
# --8<-- [start:usage]
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct
from cdk_cis_log_monitoring import CisControl, CisLogMonitoring, CisPatternSet

# Your own control, monitored like the CIS ones: anyone assuming the break-glass role.
BREAK_GLASS = CisControl.custom(
    id="ACME.1",
    title="Ensure use of the break-glass role is monitored",
    pattern='{ ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "*break-glass*") }',
    metric_name="break_glass_metric",
)


class CisMonitoringStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        # The log group your multi-region CloudTrail trail delivers to.
        trail_log_group = logs.LogGroup(self, "TrailLogGroup", retention=logs.RetentionDays.ONE_YEAR)

        # --8<-- [start:construct]
        self.monitoring = CisLogMonitoring(
            self,
            "Cis",
            log_group=trail_log_group,
            emails=["secops@example.com", "oncall@example.com"],
            pattern_set=CisPatternSet.CIS_V3_0_0,
            sso_aware_mfa_filter=True,
            controls=[*CisPatternSet.CIS_V3_0_0.controls(), BREAK_GLASS],
            alarm_name_prefix="Prod-",
            alarm_period=Duration.minutes(5),
        )
        # --8<-- [end:construct]


class SelfMonitoredStack(Stack):
    """Monitoring that cannot fail silently (docs/self-monitoring.md, docs/self-audit.md)."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        trail_log_group = logs.LogGroup(self, "TrailLogGroup", retention=logs.RetentionDays.ONE_YEAR)
        evidence = s3.Bucket(self, "Evidence", enforce_ssl=True, block_public_access=s3.BlockPublicAccess.BLOCK_ALL)

        # --8<-- [start:self-monitoring]
        self.monitoring = CisLogMonitoring(
            self,
            "Cis",
            log_group=trail_log_group,
            emails=["secops@example.com"],
            # Page when the log group received no event for 2 hours (default 1 hour).
            delivery_heartbeat_period=Duration.hours(2),
            # The tamper control: deleting, disabling or re-pointing this monitoring pages (on by default).
            tamper_alarm=True,
            # Judge this account's monitoring every 12 hours with the rules of `check`/`audit`:
            # a metric and an alarm, one Security Hub finding per control, AWS Config evaluations.
            self_audit=True,
            self_audit_schedule=Duration.hours(12),
            self_audit_security_hub=True,
            self_audit_config_rule=True,
            # ... and store its evidence report (the page `audit --html` writes) in S3.
            self_audit_report_bucket=evidence,
            self_audit_report_prefix="cis/",
            # ... and judge two member accounts too, through a role they trust this account to assume.
            self_audit_accounts=["111111111111", "222222222222"],
            self_audit_role_name="CisMonitoringAudit",
        )
        # --8<-- [end:self-monitoring]


app = App()
CisMonitoringStack(app, "CisMonitoring")
SelfMonitoredStack(app, "SelfMonitored")
# --8<-- [end:usage]

if __name__ == "__main__":
    app.synth()
