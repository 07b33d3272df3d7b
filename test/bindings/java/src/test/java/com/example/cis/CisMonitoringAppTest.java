package com.example.cis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.cis.CisMonitoringApp.CisMonitoringStack;
import com.example.cis.CisMonitoringApp.SelfMonitoredStack;
import io.github.cdkcis.logmonitoring.CisControl;
import io.github.cdkcis.logmonitoring.CisExclusion;
import io.github.cdkcis.logmonitoring.CisLogMonitoring;
import io.github.cdkcis.logmonitoring.CisLogMonitoringProps;
import io.github.cdkcis.logmonitoring.CisPatternSet;
import io.github.cdkcis.logmonitoring.LogFilterPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.logs.LogGroup;

/** Synthesizes the Java app and checks its template against the catalog, through the Java binding. */
class CisMonitoringAppTest {
    private static final CisPatternSet PATTERN_SET = CisPatternSet.CIS_V3_0_0;
    private static final List<String> EMAILS = List.of("secops@example.com", "oncall@example.com");

    private static CisMonitoringStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        stack = new CisMonitoringStack(new App(), "CisMonitoring", StackProps.builder().build());
        template = Template.fromStack(stack);
    }

    private static List<CisControl> expectedControls() {
        List<CisControl> controls = new ArrayList<>(PATTERN_SET.controls());
        controls.add(CisMonitoringApp.BREAK_GLASS);
        return controls;
    }

    @Test
    void catalogAsJavaSeesIt() {
        assertEquals(15, CisControl.all().size());
        assertEquals(List.of("RECOMMENDED", "CIS_V1_2_0", "CIS_V1_4_0", "CIS_V3_0_0", "CIS_V5_0_0", "CIS_V6_0_0", "CIS_V7_0_0",
                "SECURITY_HUB"),
                CisPatternSet.all().stream().map(CisPatternSet::getName).collect(Collectors.toList()));
        assertSame(PATTERN_SET, CisPatternSet.fromName("cis_v3_0_0"));
        assertEquals(14, CisPatternSet.CIS_V1_2_0.controls().size());
        assertEquals("4.3", CisControl.ROOT_ACCOUNT_USAGE.getId());
        assertEquals("ROOT_ACCOUNT_USAGE", CisControl.ROOT_ACCOUNT_USAGE.getKey());
        assertSame(CisControl.ROOT_ACCOUNT_USAGE, CisControl.fromKey("4.3"));
        assertTrue(CisMonitoringApp.BREAK_GLASS.getIsCustom());
        assertEquals("break_glass_alarm", CisMonitoringApp.BREAK_GLASS.getAlarmName());
        RuntimeException error = assertThrows(RuntimeException.class, () -> CisPatternSet.fromName("CIS_V9"));
        assertTrue(error.getMessage().contains("Unknown CIS pattern set"), error.getMessage());
    }

    @Test
    void resourceCounts() {
        int controls = expectedControls().size();
        assertEquals(16, controls);
        // + the self-monitoring (docs/self-monitoring.md): 5 tamper filters, the heartbeat and tamper alarms
        template.resourceCountIs("AWS::Logs::MetricFilter", controls + 5);
        template.resourceCountIs("AWS::CloudWatch::Alarm", controls + 2);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmName", "Prod-delivery_heartbeat_alarm", "Namespace", "AWS/Logs", "MetricName", "IncomingLogEvents",
                "TreatMissingData", "breaching", "Period", 300, "EvaluationPeriods", 12, "DatapointsToAlarm", 12));
        template.resourceCountIs("AWS::SNS::Topic", 1);
        template.resourceCountIs("AWS::SNS::TopicPolicy", 1);
        template.resourceCountIs("AWS::KMS::Key", 1);
        template.resourceCountIs("AWS::SNS::Subscription", EMAILS.size());
    }

    @Test
    void eachControlHasItsPatternAndAlarm() {
        for (CisControl control : expectedControls()) {
            String pattern = control.patternFor(PATTERN_SET, true);
            template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                    "FilterName", control.getMetricName(),
                    "FilterPattern", pattern,
                    "MetricTransformations", List.of(Map.of(
                            "MetricName", control.getMetricName(),
                            "MetricNamespace", "CISBenchmark",
                            "MetricValue", "1"))));
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "AlarmName", "Prod-" + control.getAlarmName(),
                    "MetricName", control.getMetricName(),
                    "Namespace", "CISBenchmark",
                    "Period", 300,
                    "Statistic", "Sum",
                    "Threshold", 1,
                    "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                    "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("Topic")))));
        }
    }

    @Test
    void ssoAwareMfaPatternIsDeployed() {
        CisControl mfa = CisControl.CONSOLE_SIGNIN_WITHOUT_MFA;
        String ssoAware = mfa.patternFor(PATTERN_SET, true);
        assertNotEquals(mfa.patternFor(PATTERN_SET, false), ssoAware);
        assertEquals(mfa.patternFor(PATTERN_SET, false), mfa.patternFor(PATTERN_SET));
        assertTrue(ssoAware.contains("$.userIdentity.type = \"IAMUser\""), ssoAware);
        Map<String, Map<String, Object>> filters = template.findResources("AWS::Logs::MetricFilter", Map.of(
                "Properties", Map.of("MetricTransformations", List.of(Map.of("MetricName", mfa.getMetricName())))));
        assertEquals(1, filters.size());
        Map<?, ?> properties = (Map<?, ?>) filters.values().iterator().next().get("Properties");
        assertEquals(ssoAware, properties.get("FilterPattern"));
    }

    @Test
    void customControlPattern() {
        template.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "FilterName", "break_glass_metric",
                "FilterPattern", "{ ($.eventName = \"AssumeRole\") && ($.requestParameters.roleArn = \"*break-glass*\") }"));
        LogFilterPattern pattern = LogFilterPattern.parse(CisMonitoringApp.BREAK_GLASS.patternFor(PATTERN_SET));
        Map<String, Object> record = Map.of("eventName", "AssumeRole",
                "requestParameters", Map.of("roleArn", "arn:aws:iam::111122223333:role/break-glass-admin"));
        assertTrue(pattern.matches(record));
        assertTrue(pattern.matchesJson("{\"eventName\":\"AssumeRole\",\"requestParameters\":{\"roleArn\":\"arn:aws:iam::111122223333:role/break-glass\"}}"));
        assertFalse(pattern.matchesJson("{\"eventName\":\"GetCallerIdentity\"}"));
    }

    @Test
    void emailSubscriptionsOnEncryptedTopic() {
        for (String email : EMAILS) {
            template.hasResourceProperties("AWS::SNS::Subscription", Map.of(
                    "Protocol", "email",
                    "Endpoint", email,
                    "TopicArn", Map.of("Ref", Match.stringLikeRegexp("Topic"))));
        }
        template.hasResourceProperties("AWS::SNS::Topic", Map.of(
                "KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Key"), "Arn"))));
    }

    @Test
    void constructMembers() {
        CisLogMonitoring monitoring = stack.getMonitoring();
        assertEquals(expectedControls().stream().map(CisControl::getKey).collect(Collectors.toList()),
                monitoring.getControls().stream().map(CisControl::getKey).collect(Collectors.toList()));
        assertSame(PATTERN_SET, monitoring.getPatternSet());
        assertEquals(16, monitoring.getAlarms().size());
        assertEquals(16, monitoring.getMetricFilters().size());
        assertEquals("Prod-", monitoring.getAlarmNamePrefix());
        assertNotNull(monitoring.getTopicEncryptionKey());
        assertEquals("CisMonitoring/Cis/CustomACME1/Alarm", monitoring.alarmFor(CisMonitoringApp.BREAK_GLASS).getNode().getPath());
        assertEquals("CisMonitoring/Cis/RootAccountUsage/MetricFilter",
                monitoring.metricFilterFor(CisControl.ROOT_ACCOUNT_USAGE).getNode().getPath());
    }

    @Test
    void invalidInputThrowsInJava() {
        Stack bad = new Stack(new App(), "Bad");
        LogGroup group = new LogGroup(bad, "Logs");
        RuntimeException error = assertThrows(RuntimeException.class, () -> CisLogMonitoring.Builder.create(bad, "Cis")
                .logGroup(group)
                .patternSet(CisPatternSet.CIS_V1_2_0)
                .ssoAwareMfaFilter(true)
                .build());
        assertTrue(error.getMessage().contains("has no SSO-aware variant"), error.getMessage());
    }

    @Test
    void filterPatternSyntaxErrorsReachJava() {
        String broken = "{ ($.eventName = \"ConsoleLogin\" }";
        RuntimeException error = assertThrows(RuntimeException.class, () -> LogFilterPattern.parse(broken));
        assertTrue(error.getMessage().matches("(?s).*Expected .* at position \\d+.*"), error.getMessage());
        List<String> problems = LogFilterPattern.validate(broken);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("Invalid filter pattern: Expected"), problems.get(0));
        assertEquals(List.of(), LogFilterPattern.validate(CisControl.ROOT_ACCOUNT_USAGE.patternFor(PATTERN_SET)));
    }

    /** An exclusion (issue 10.1) through the Java binding: compliance filter unchanged, operational filter drops only the excluded principal. */
    @Test
    void exclusionsKeepComplianceAndAddAnOperationalAlarm() {
        Stack excluded = new Stack(new App(), "WithExclusions");
        LogGroup group = new LogGroup(excluded, "Logs");
        CisControl control = CisControl.UNAUTHORIZED_API_CALLS;
        CisLogMonitoring monitoring = new CisLogMonitoring(excluded, "Cis", CisLogMonitoringProps.builder()
                .logGroup(group).patternSet(PATTERN_SET).emails(List.of("secops@example.com"))
                .operationalEmails(List.of("oncall@example.com"))
                .exclusions(List.of(CisExclusion.builder()
                        .principalArns(List.of("arn:aws:sts::111122223333:assumed-role/terraform-apply/*"))
                        .controls(List.of(control)).reason("nightly terraform plan").owner("platform-team").expires("2099-12-31")
                        .build()))
                .build());
        Template excludedTemplate = Template.fromStack(excluded);
        excludedTemplate.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "FilterName", control.getMetricName(), "FilterPattern", control.patternFor(PATTERN_SET, false)));
        Map<String, Map<String, Object>> operational = excludedTemplate.findResources("AWS::Logs::MetricFilter",
                Map.of("Properties", Map.of("FilterName", control.getMetricName() + "_operational")));
        assertEquals(1, operational.size());
        @SuppressWarnings("unchecked")
        String text = (String) ((Map<String, Object>) operational.values().iterator().next().get("Properties")).get("FilterPattern");
        LogFilterPattern pattern = LogFilterPattern.parse(text);
        String excludedEvent = "{\"errorCode\":\"AccessDenied\",\"eventName\":\"GetObject\",\"sourceIPAddress\":\"203.0.113.9\",\"userIdentity\":{\"arn\":\"arn:aws:sts::111122223333:assumed-role/terraform-apply/run-42\"}}";
        assertTrue(LogFilterPattern.parse(control.patternFor(PATTERN_SET, false)).matchesJson(excludedEvent));
        assertFalse(pattern.matchesJson(excludedEvent));
        assertTrue(pattern.matchesJson(excludedEvent.replace("assumed-role/terraform-apply/run-42", "user/mallory")));
        assertTrue(pattern.matchesJson("{\"errorCode\":\"AccessDenied\",\"eventName\":\"GetObject\",\"sourceIPAddress\":\"203.0.113.9\",\"userIdentity\":{\"type\":\"Root\"}}"));
        assertEquals("WithExclusions/Cis/UnauthorizedApiCalls/OperationalAlarm", monitoring.operationalAlarmFor(control).getNode().getPath());
    }

    @Test
    void expiredExclusionFailsInJava() {
        Stack expired = new Stack(new App(), "Expired");
        LogGroup group = new LogGroup(expired, "Logs");
        RuntimeException error = assertThrows(RuntimeException.class, () -> new CisLogMonitoring(expired, "Cis", CisLogMonitoringProps.builder()
                .logGroup(group).emails(List.of("secops@example.com"))
                .exclusions(List.of(CisExclusion.builder().principalArns(List.of("arn:aws:iam::111122223333:role/ci"))
                        .reason("ci").owner("platform-team").expires("2020-01-01").build()))
                .build()));
        assertTrue(error.getMessage().contains("expired"), error.getMessage());
    }

    /** realTime (docs/realtime.md) through the Java binding: one EventBridge rule per control, root usage (4.3) with its compiled pattern. */
    @Test
    void realTimeRulesInJava() {
        Stack realTime = new Stack(new App(), "RealTime");
        LogGroup group = new LogGroup(realTime, "Logs");
        CisLogMonitoring monitoring = new CisLogMonitoring(realTime, "Cis", CisLogMonitoringProps.builder()
                .logGroup(group).emails(List.of("secops@example.com")).realTime(true).build());
        Template realTimeTemplate = Template.fromStack(realTime);
        realTimeTemplate.resourceCountIs("AWS::Events::Rule", 15);
        assertEquals(15, monitoring.getRealTimeRules().size());
        List<Map<String, Object>> root = realTimeTemplate.findResources("AWS::Events::Rule").entrySet().stream()
                .filter(e -> e.getKey().startsWith("CisRootAccountUsageRealTimeRule")).map(Map.Entry::getValue)
                .collect(Collectors.toList());
        assertEquals(1, root.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = (Map<String, Object>) root.get(0).get("Properties");
        assertEquals("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", rule.get("State"));
        assertEquals(Map.of(
                "source", List.of(Map.of("prefix", "aws.")),
                "detail-type", List.of(Map.of("suffix", " via CloudTrail")),
                "detail", Map.of(
                        "eventType", List.of(Map.of("anything-but", "AwsServiceEvent")),
                        "userIdentity", Map.of("invokedBy", List.of(Map.of("exists", false)), "type", List.of("Root")))),
                rule.get("EventPattern"));
    }

    @Test
    void selfMonitoringPropsInJava() {
        SelfMonitoredStack self = new SelfMonitoredStack(new App(), "SelfMonitored", StackProps.builder().build());
        Template t = Template.fromStack(self);
        // The heartbeat over 2 hours: 24 periods of 5 minutes, missing data breaching.
        t.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Logs", "MetricName", "IncomingLogEvents", "TreatMissingData", "breaching",
                "Period", 300, "EvaluationPeriods", 24, "DatapointsToAlarm", 24));
        t.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "monitoring_tamper_metric"));
        // The self-audit: its function, its schedule, its alarm, Security Hub and Config.
        assertNotNull(self.getMonitoring().getSelfAuditFunction());
        t.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "rate(12 hours)"));
        t.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "SelfAuditNotPassing", "TreatMissingData", "breaching"));
        t.resourceCountIs("AWS::Config::ConfigRule", 1);
        String policies = t.findResources("AWS::IAM::ManagedPolicy").toString();
        assertTrue(policies.contains("securityhub:BatchImportFindings"), policies);
        assertTrue(policies.contains("config:PutEvaluations"), policies);
        assertTrue(policies.contains("s3:PutObject") && policies.contains("/cis/*"), policies);
        assertTrue(policies.contains("sts:AssumeRole") && policies.contains(":iam::222222222222:role/CisMonitoringAudit"), policies);
        // Without the props (the app's first stack): no function, no Config rule.
        assertEquals(null, stack.getMonitoring().getSelfAuditFunction());
        template.resourceCountIs("AWS::Config::ConfigRule", 0);
    }
}
