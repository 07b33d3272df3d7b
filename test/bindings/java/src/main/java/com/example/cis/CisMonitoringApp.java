package com.example.cis;

// A CDK app in Java that uses cdk-cis-log-monitoring, as its README shows it. CisMonitoringAppTest
// synthesizes this stack and checks the template; the region between the [start:usage] and
// [end:usage] markers is copied into docs/bindings/java.md (npx projen docs:bindings).

// --8<-- [start:usage]
import io.github.cdkcis.logmonitoring.CisControl;
import io.github.cdkcis.logmonitoring.CisLogMonitoring;
import io.github.cdkcis.logmonitoring.CisPatternSet;
import io.github.cdkcis.logmonitoring.CustomControlOptions;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

public class CisMonitoringApp {
    /** Your own control, monitored like the CIS ones: anyone assuming the break-glass role. */
    public static final CisControl BREAK_GLASS = CisControl.custom(CustomControlOptions.builder()
            .id("ACME.1")
            .title("Ensure use of the break-glass role is monitored")
            .pattern("{ ($.eventName = \"AssumeRole\") && ($.requestParameters.roleArn = \"*break-glass*\") }")
            .metricName("break_glass_metric")
            .build());

    public static class CisMonitoringStack extends Stack {
        private final CisLogMonitoring monitoring;

        public CisMonitoringStack(final Construct scope, final String id, final StackProps props) {
            super(scope, id, props);

            // The log group your multi-region CloudTrail trail delivers to.
            LogGroup trailLogGroup = LogGroup.Builder.create(this, "TrailLogGroup")
                    .retention(RetentionDays.ONE_YEAR)
                    .build();

            List<CisControl> controls = new ArrayList<>(CisPatternSet.CIS_V3_0_0.controls());
            controls.add(BREAK_GLASS);

            // --8<-- [start:construct]
            this.monitoring = CisLogMonitoring.Builder.create(this, "Cis")
                    .logGroup(trailLogGroup)
                    .emails(List.of("secops@example.com", "oncall@example.com"))
                    .patternSet(CisPatternSet.CIS_V3_0_0)
                    .ssoAwareMfaFilter(true)
                    .controls(controls)
                    .alarmNamePrefix("Prod-")
                    .alarmPeriod(Duration.minutes(5))
                    .build();
            // --8<-- [end:construct]
        }

        public CisLogMonitoring getMonitoring() {
            return monitoring;
        }
    }

    /** Monitoring that cannot fail silently (docs/self-monitoring.md, docs/self-audit.md). */
    public static class SelfMonitoredStack extends Stack {
        private final CisLogMonitoring monitoring;

        public SelfMonitoredStack(final Construct scope, final String id, final StackProps props) {
            super(scope, id, props);
            LogGroup trailLogGroup = LogGroup.Builder.create(this, "TrailLogGroup")
                    .retention(RetentionDays.ONE_YEAR)
                    .build();
            Bucket evidence = Bucket.Builder.create(this, "Evidence")
                    .enforceSsl(true)
                    .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                    .build();

            // --8<-- [start:self-monitoring]
            this.monitoring = CisLogMonitoring.Builder.create(this, "Cis")
                    .logGroup(trailLogGroup)
                    .emails(List.of("secops@example.com"))
                    // Page when the log group received no event for 2 hours (default 1 hour).
                    .deliveryHeartbeatPeriod(Duration.hours(2))
                    // The tamper control: deleting, disabling or re-pointing this monitoring pages (on by default).
                    .tamperAlarm(true)
                    // Judge this account's monitoring every 12 hours with the rules of check/audit:
                    // a metric and an alarm, one Security Hub finding per control, AWS Config evaluations.
                    .selfAudit(true)
                    .selfAuditSchedule(Duration.hours(12))
                    .selfAuditSecurityHub(true)
                    .selfAuditConfigRule(true)
                    // ... and store its evidence report (the page audit --html writes) in S3.
                    .selfAuditReportBucket(evidence)
                    .selfAuditReportPrefix("cis/")
                    // ... and judge two member accounts too, through a role they trust this account to assume.
                    .selfAuditAccounts(List.of("111111111111", "222222222222"))
                    .selfAuditRoleName("CisMonitoringAudit")
                    .build();
            // --8<-- [end:self-monitoring]
        }

        public CisLogMonitoring getMonitoring() {
            return monitoring;
        }
    }

    public static void main(final String[] args) {
        App app = new App();
        new CisMonitoringStack(app, "CisMonitoring", StackProps.builder().build());
        new SelfMonitoredStack(app, "SelfMonitored", StackProps.builder().build());
        app.synth();
    }
}
// --8<-- [end:usage]
