package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-cis/cdk-cis-log-monitoring-go/cdkcislogmonitoring"
)

// Synthesizes the Go app and checks its template against the catalog, through the Go binding.

var emails = []string{"secops@example.com", "oncall@example.com"}

func patternSet() cdkcislogmonitoring.CisPatternSet {
	return cdkcislogmonitoring.CisPatternSet_CIS_V3_0_0()
}

func expectedControls() []cdkcislogmonitoring.CisControl {
	return append(*patternSet().Controls(), BreakGlass)
}

var synthesized *CisMonitoringStack

func stackAndTemplate() (*CisMonitoringStack, assertions.Template) {
	if synthesized == nil {
		synthesized = NewCisMonitoringStack(awscdk.NewApp(nil), "CisMonitoring", nil)
	}
	return synthesized, assertions.Template_FromStack(synthesized.Stack, nil)
}

// panicMessage runs f and returns the message of the error it panics with (jsii turns JavaScript errors into panics).
func panicMessage(f func()) (message string) {
	defer func() {
		if r := recover(); r != nil {
			message = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

func TestCatalogAsGoSeesIt(t *testing.T) {
	if n := len(*cdkcislogmonitoring.CisControl_All()); n != 15 {
		t.Fatalf("CisControl_All(): %d controls, want 15", n)
	}
	var names []string
	for _, set := range *cdkcislogmonitoring.CisPatternSet_All() {
		names = append(names, *set.Name())
	}
	if got := strings.Join(names, ","); got != "RECOMMENDED,CIS_V1_2_0,CIS_V1_4_0,CIS_V3_0_0,CIS_V5_0_0,CIS_V6_0_0,CIS_V7_0_0,SECURITY_HUB" {
		t.Errorf("CisPatternSet_All(): %s", got)
	}
	if *cdkcislogmonitoring.CisPatternSet_FromName(jsii.String("cis_v3_0_0")).Name() != "CIS_V3_0_0" {
		t.Error("CisPatternSet_FromName is not case-insensitive")
	}
	if n := len(*cdkcislogmonitoring.CisPatternSet_CIS_V1_2_0().Controls()); n != 14 {
		t.Errorf("CIS_V1_2_0 has %d controls, want 14", n)
	}
	root := cdkcislogmonitoring.CisControl_ROOT_ACCOUNT_USAGE()
	if *root.Id() != "4.3" || *root.Key() != "ROOT_ACCOUNT_USAGE" || *cdkcislogmonitoring.CisControl_FromKey(jsii.String("4.3")).Key() != "ROOT_ACCOUNT_USAGE" {
		t.Errorf("root account usage: id %s key %s", *root.Id(), *root.Key())
	}
	if !*BreakGlass.IsCustom() || *BreakGlass.Id() != "ACME.1" || *BreakGlass.AlarmName() != "break_glass_alarm" {
		t.Errorf("custom control: custom %v id %s alarm %s", *BreakGlass.IsCustom(), *BreakGlass.Id(), *BreakGlass.AlarmName())
	}
	if msg := panicMessage(func() { cdkcislogmonitoring.CisPatternSet_FromName(jsii.String("CIS_V9")) }); !strings.Contains(msg, "Unknown CIS pattern set") {
		t.Errorf("CisPatternSet_FromName(CIS_V9) panicked with %q", msg)
	}
}

func TestResourceCounts(t *testing.T) {
	_, template := stackAndTemplate()
	controls := float64(len(expectedControls()))
	if controls != 16 {
		t.Fatalf("%v controls, want 16", controls)
	}
	// + the self-monitoring (docs/self-monitoring.md): 5 tamper filters, the heartbeat and tamper alarms
	template.ResourceCountIs(jsii.String("AWS::Logs::MetricFilter"), jsii.Number(controls+5))
	template.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(controls+2))
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{
		"AlarmName": "Prod-delivery_heartbeat_alarm", "Namespace": "AWS/Logs", "MetricName": "IncomingLogEvents",
		"TreatMissingData": "breaching", "Period": 300, "EvaluationPeriods": 12, "DatapointsToAlarm": 12,
	})
	template.ResourceCountIs(jsii.String("AWS::SNS::Topic"), jsii.Number(1))
	template.ResourceCountIs(jsii.String("AWS::SNS::TopicPolicy"), jsii.Number(1))
	template.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1))
	template.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(float64(len(emails))))
}

func TestEachControlHasItsPatternAndAlarm(t *testing.T) {
	_, template := stackAndTemplate()
	for _, control := range expectedControls() {
		pattern := control.PatternFor(patternSet(), jsii.Bool(true))
		template.HasResourceProperties(jsii.String("AWS::Logs::MetricFilter"), map[string]interface{}{
			"FilterName":    control.MetricName(),
			"FilterPattern": pattern,
			"MetricTransformations": []interface{}{map[string]interface{}{
				"MetricName":      control.MetricName(),
				"MetricNamespace": "CISBenchmark",
				"MetricValue":     "1",
			}},
		})
		template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{
			"AlarmName":          "Prod-" + *control.AlarmName(),
			"MetricName":         control.MetricName(),
			"Namespace":          "CISBenchmark",
			"Period":             300,
			"Statistic":          "Sum",
			"Threshold":          1,
			"ComparisonOperator": "GreaterThanOrEqualToThreshold",
			"AlarmActions":       []interface{}{map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("Topic"))}},
		})
	}
}

func TestSsoAwareMfaPatternIsDeployed(t *testing.T) {
	_, template := stackAndTemplate()
	mfa := cdkcislogmonitoring.CisControl_CONSOLE_SIGNIN_WITHOUT_MFA()
	ssoAware := *mfa.PatternFor(patternSet(), jsii.Bool(true))
	if ssoAware == *mfa.PatternFor(patternSet(), jsii.Bool(false)) || *mfa.PatternFor(patternSet(), nil) != *mfa.PatternFor(patternSet(), jsii.Bool(false)) {
		t.Fatalf("the SSO-aware pattern is not a variant: %s", ssoAware)
	}
	if !strings.Contains(ssoAware, `$.userIdentity.type = "IAMUser"`) {
		t.Fatalf("SSO-aware pattern without the IAM-user clause: %s", ssoAware)
	}
	filters := *template.FindResources(jsii.String("AWS::Logs::MetricFilter"), map[string]interface{}{
		"Properties": map[string]interface{}{"MetricTransformations": []interface{}{map[string]interface{}{"MetricName": mfa.MetricName()}}},
	})
	if len(filters) != 1 {
		t.Fatalf("%d metric filters for %s, want 1", len(filters), *mfa.MetricName())
	}
	for _, filter := range filters {
		if got := (*filter)["Properties"].(map[string]interface{})["FilterPattern"]; got != ssoAware {
			t.Errorf("FilterPattern %v, want %s", got, ssoAware)
		}
	}
}

func TestCustomControlPattern(t *testing.T) {
	_, template := stackAndTemplate()
	template.HasResourceProperties(jsii.String("AWS::Logs::MetricFilter"), map[string]interface{}{
		"FilterName":    "break_glass_metric",
		"FilterPattern": `{ ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "*break-glass*") }`,
	})
	pattern := cdkcislogmonitoring.LogFilterPattern_Parse(BreakGlass.PatternFor(patternSet(), nil))
	record := map[string]interface{}{
		"eventName":         "AssumeRole",
		"requestParameters": map[string]interface{}{"roleArn": "arn:aws:iam::111122223333:role/break-glass-admin"},
	}
	if !*pattern.Matches(record) {
		t.Error("the custom pattern does not match a break-glass AssumeRole record")
	}
	text, _ := json.Marshal(record)
	if !*pattern.MatchesJson(jsii.String(string(text))) {
		t.Error("the custom pattern does not match the record as JSON")
	}
	if *pattern.MatchesJson(jsii.String(`{"eventName":"GetCallerIdentity"}`)) {
		t.Error("the custom pattern matches GetCallerIdentity")
	}
}

func TestEmailSubscriptionsOnEncryptedTopic(t *testing.T) {
	_, template := stackAndTemplate()
	for _, email := range emails {
		template.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]interface{}{
			"Protocol": "email",
			"Endpoint": email,
			"TopicArn": map[string]interface{}{"Ref": assertions.Match_StringLikeRegexp(jsii.String("Topic"))},
		})
	}
	template.HasResourceProperties(jsii.String("AWS::SNS::Topic"), map[string]interface{}{
		"KmsMasterKeyId": map[string]interface{}{"Fn::GetAtt": []interface{}{assertions.Match_StringLikeRegexp(jsii.String("Key")), "Arn"}},
	})
}

func TestConstructMembers(t *testing.T) {
	stack, _ := stackAndTemplate()
	monitoring := stack.Monitoring
	var got, want []string
	for _, c := range *monitoring.Controls() {
		got = append(got, *c.Key())
	}
	for _, c := range expectedControls() {
		want = append(want, *c.Key())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Controls(): %v, want %v", got, want)
	}
	if *monitoring.PatternSet().Name() != "CIS_V3_0_0" || len(*monitoring.Alarms()) != 16 || len(*monitoring.MetricFilters()) != 16 {
		t.Errorf("PatternSet %s, %d alarms, %d metric filters", *monitoring.PatternSet().Name(), len(*monitoring.Alarms()), len(*monitoring.MetricFilters()))
	}
	if *monitoring.AlarmNamePrefix() != "Prod-" || monitoring.TopicEncryptionKey() == nil {
		t.Errorf("AlarmNamePrefix %s, TopicEncryptionKey %v", *monitoring.AlarmNamePrefix(), monitoring.TopicEncryptionKey())
	}
	if path := *monitoring.AlarmFor(BreakGlass).Node().Path(); path != "CisMonitoring/Cis/CustomACME1/Alarm" {
		t.Errorf("AlarmFor(BreakGlass): %s", path)
	}
	if path := *monitoring.MetricFilterFor(cdkcislogmonitoring.CisControl_ROOT_ACCOUNT_USAGE()).Node().Path(); path != "CisMonitoring/Cis/RootAccountUsage/MetricFilter" {
		t.Errorf("MetricFilterFor(ROOT_ACCOUNT_USAGE): %s", path)
	}
}

func TestInvalidInputPanicsInGo(t *testing.T) {
	bad := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Bad"), nil)
	group := awslogs.NewLogGroup(bad, jsii.String("Logs"), nil)
	msg := panicMessage(func() {
		cdkcislogmonitoring.NewCisLogMonitoring(bad, jsii.String("Cis"), &cdkcislogmonitoring.CisLogMonitoringProps{
			LogGroup:          group,
			PatternSet:        cdkcislogmonitoring.CisPatternSet_CIS_V1_2_0(),
			SsoAwareMfaFilter: jsii.Bool(true),
		})
	})
	if !strings.Contains(msg, "has no SSO-aware variant") {
		t.Errorf("panicked with %q", msg)
	}
}

func TestFilterPatternSyntaxErrorsReachGo(t *testing.T) {
	broken := jsii.String(`{ ($.eventName = "ConsoleLogin" }`)
	msg := panicMessage(func() { cdkcislogmonitoring.LogFilterPattern_Parse(broken) })
	if !strings.Contains(msg, "Expected") || !strings.Contains(msg, "at position") {
		t.Errorf("LogFilterPattern_Parse panicked with %q", msg)
	}
	problems := *cdkcislogmonitoring.LogFilterPattern_Validate(broken)
	if len(problems) != 1 || !strings.HasPrefix(*problems[0], "Invalid filter pattern: Expected") {
		t.Errorf("LogFilterPattern_Validate: %v", problems)
	}
	root := cdkcislogmonitoring.CisControl_ROOT_ACCOUNT_USAGE().PatternFor(patternSet(), nil)
	if n := len(*cdkcislogmonitoring.LogFilterPattern_Validate(root)); n != 0 {
		t.Errorf("the root account usage pattern has %d problems", n)
	}
}

// An exclusion (issue 10.1) through the Go binding: compliance filter unchanged, operational filter drops only the excluded principal.
func TestExclusionsKeepComplianceAndAddAnOperationalAlarm(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("WithExclusions"), nil)
	group := awslogs.NewLogGroup(stack, jsii.String("Logs"), nil)
	control := cdkcislogmonitoring.CisControl_UNAUTHORIZED_API_CALLS()
	monitoring := cdkcislogmonitoring.NewCisLogMonitoring(stack, jsii.String("Cis"), &cdkcislogmonitoring.CisLogMonitoringProps{
		LogGroup:          group,
		PatternSet:        patternSet(),
		Emails:            jsii.Strings("secops@example.com"),
		OperationalEmails: jsii.Strings("oncall@example.com"),
		Exclusions: &[]*cdkcislogmonitoring.CisExclusion{{
			PrincipalArns: jsii.Strings("arn:aws:sts::111122223333:assumed-role/terraform-apply/*"),
			Controls:      &[]cdkcislogmonitoring.CisControl{control},
			Reason:        jsii.String("nightly terraform plan"),
			Owner:         jsii.String("platform-team"),
			Expires:       jsii.String("2099-12-31"),
		}},
	})
	template := assertions.Template_FromStack(stack, nil)
	template.HasResourceProperties(jsii.String("AWS::Logs::MetricFilter"), map[string]interface{}{
		"FilterName": *control.MetricName(), "FilterPattern": *control.PatternFor(patternSet(), jsii.Bool(false)),
	})
	operational := template.FindResources(jsii.String("AWS::Logs::MetricFilter"), map[string]interface{}{
		"Properties": map[string]interface{}{"FilterName": *control.MetricName() + "_operational"},
	})
	if len(*operational) != 1 {
		t.Fatalf("operational filters: %d, want 1", len(*operational))
	}
	var text string
	for _, resource := range *operational {
		text = (*resource)["Properties"].(map[string]interface{})["FilterPattern"].(string)
	}
	pattern := cdkcislogmonitoring.LogFilterPattern_Parse(jsii.String(text))
	excluded := `{"errorCode":"AccessDenied","eventName":"GetObject","sourceIPAddress":"203.0.113.9","userIdentity":{"arn":"arn:aws:sts::111122223333:assumed-role/terraform-apply/run-42"}}`
	if !*cdkcislogmonitoring.LogFilterPattern_Parse(control.PatternFor(patternSet(), jsii.Bool(false))).MatchesJson(jsii.String(excluded)) {
		t.Fatal("the compliance pattern does not match the test event")
	}
	if *pattern.MatchesJson(jsii.String(excluded)) {
		t.Error("the excluded principal's event still matches the operational pattern")
	}
	if !*pattern.MatchesJson(jsii.String(strings.Replace(excluded, "assumed-role/terraform-apply/run-42", "user/mallory", 1))) {
		t.Error("another principal's event no longer matches the operational pattern")
	}
	if !*pattern.MatchesJson(jsii.String(`{"errorCode":"AccessDenied","eventName":"GetObject","sourceIPAddress":"203.0.113.9","userIdentity":{"type":"Root"}}`)) {
		t.Error("an event without userIdentity.arn was dropped by the exclusion")
	}
	if path := *monitoring.OperationalAlarmFor(control).Node().Path(); path != "WithExclusions/Cis/UnauthorizedApiCalls/OperationalAlarm" {
		t.Errorf("operational alarm path %s", path)
	}
}

func TestExpiredExclusionFailsInGo(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Expired"), nil)
	group := awslogs.NewLogGroup(stack, jsii.String("Logs"), nil)
	message := panicMessage(func() {
		cdkcislogmonitoring.NewCisLogMonitoring(stack, jsii.String("Cis"), &cdkcislogmonitoring.CisLogMonitoringProps{
			LogGroup: group,
			Emails:   jsii.Strings("secops@example.com"),
			Exclusions: &[]*cdkcislogmonitoring.CisExclusion{{
				PrincipalArns: jsii.Strings("arn:aws:iam::111122223333:role/ci"),
				Reason:        jsii.String("ci"), Owner: jsii.String("platform-team"), Expires: jsii.String("2020-01-01"),
			}},
		})
	})
	if !strings.Contains(message, "expired") {
		t.Errorf("expired exclusion: got %q", message)
	}
}

// realTime (docs/realtime.md) through the Go binding: one EventBridge rule per control, root usage (4.3) with its compiled pattern.
func TestRealTimeRulesInGo(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("RealTime"), nil)
	group := awslogs.NewLogGroup(stack, jsii.String("Logs"), nil)
	monitoring := cdkcislogmonitoring.NewCisLogMonitoring(stack, jsii.String("Cis"), &cdkcislogmonitoring.CisLogMonitoringProps{
		LogGroup: group,
		Emails:   jsii.Strings("secops@example.com"),
		RealTime: jsii.Bool(true),
	})
	template := assertions.Template_FromStack(stack, nil)
	template.ResourceCountIs(jsii.String("AWS::Events::Rule"), jsii.Number(15))
	if n := len(*monitoring.RealTimeRules()); n != 15 {
		t.Errorf("RealTimeRules(): %d, want 15", n)
	}
	var root []map[string]interface{}
	for id, resource := range *template.FindResources(jsii.String("AWS::Events::Rule"), nil) {
		if strings.HasPrefix(id, "CisRootAccountUsageRealTimeRule") {
			root = append(root, (*resource)["Properties"].(map[string]interface{}))
		}
	}
	if len(root) != 1 {
		t.Fatalf("root account usage rules: %d, want 1", len(root))
	}
	if state := root[0]["State"]; state != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" {
		t.Errorf("root account usage rule state %v", state)
	}
	var want interface{}
	if err := json.Unmarshal([]byte(`{"source":[{"prefix":"aws."}],"detail-type":[{"suffix":" via CloudTrail"}],`+
		`"detail":{"eventType":[{"anything-but":"AwsServiceEvent"}],"userIdentity":{"invokedBy":[{"exists":false}],"type":["Root"]}}}`), &want); err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(root[0]["EventPattern"])
	wanted, _ := json.Marshal(want)
	if string(got) != string(wanted) {
		t.Errorf("root account usage EventPattern\n got %s\nwant %s", got, wanted)
	}
}

func TestSelfMonitoringPropsInGo(t *testing.T) {
	self := NewSelfMonitoredStack(awscdk.NewApp(nil), "SelfMonitored", nil)
	template := assertions.Template_FromStack(self.Stack, nil)
	// The heartbeat over 2 hours: 24 periods of 5 minutes, missing data breaching.
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{
		"Namespace": "AWS/Logs", "MetricName": "IncomingLogEvents", "TreatMissingData": "breaching",
		"Period": 300, "EvaluationPeriods": 24, "DatapointsToAlarm": 24,
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{"MetricName": "monitoring_tamper_metric"})
	// The self-audit: its function, its schedule, its alarm, Security Hub and Config.
	if self.Monitoring.SelfAuditFunction() == nil {
		t.Error("SelfAuditFunction() is nil")
	}
	template.HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]interface{}{"ScheduleExpression": "rate(12 hours)"})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{
		"MetricName": "SelfAuditNotPassing", "TreatMissingData": "breaching",
	})
	template.ResourceCountIs(jsii.String("AWS::Config::ConfigRule"), jsii.Number(1))
	policies, _ := json.Marshal(template.FindResources(jsii.String("AWS::IAM::ManagedPolicy"), nil))
	for _, action := range []string{"securityhub:BatchImportFindings", "config:PutEvaluations", "s3:PutObject", "/cis/*", "sts:AssumeRole", ":iam::222222222222:role/CisMonitoringAudit"} {
		if !strings.Contains(string(policies), action) {
			t.Errorf("no %s in %s", action, policies)
		}
	}
	// Without the props (the app's first stack): no function, no Config rule.
	stack, plain := stackAndTemplate()
	if stack.Monitoring.SelfAuditFunction() != nil {
		t.Error("SelfAuditFunction() without selfAudit")
	}
	plain.ResourceCountIs(jsii.String("AWS::Config::ConfigRule"), jsii.Number(0))
}
