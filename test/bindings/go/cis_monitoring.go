// A CDK app in Go that uses cdk-cis-log-monitoring, as its README shows it. cis_monitoring_test.go
// synthesizes this stack and checks the template; the region between the [start:usage] and
// [end:usage] markers is copied into docs/bindings/go.md (npx projen docs:bindings).
package main

// --8<-- [start:usage]
import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-cis/cdk-cis-log-monitoring-go/cdkcislogmonitoring"
)

// BreakGlass is your own control, monitored like the CIS ones: anyone assuming the break-glass role.
var BreakGlass = cdkcislogmonitoring.CisControl_Custom(&cdkcislogmonitoring.CustomControlOptions{
	Id:         jsii.String("ACME.1"),
	Title:      jsii.String("Ensure use of the break-glass role is monitored"),
	Pattern:    jsii.String(`{ ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "*break-glass*") }`),
	MetricName: jsii.String("break_glass_metric"),
})

type CisMonitoringStack struct {
	awscdk.Stack
	Monitoring cdkcislogmonitoring.CisLogMonitoring
}

func NewCisMonitoringStack(scope constructs.Construct, id string, props *awscdk.StackProps) *CisMonitoringStack {
	stack := awscdk.NewStack(scope, &id, props)

	// The log group your multi-region CloudTrail trail delivers to.
	trailLogGroup := awslogs.NewLogGroup(stack, jsii.String("TrailLogGroup"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_YEAR,
	})

	controls := append(*cdkcislogmonitoring.CisPatternSet_CIS_V3_0_0().Controls(), BreakGlass)

	// --8<-- [start:construct]
	monitoring := cdkcislogmonitoring.NewCisLogMonitoring(stack, jsii.String("Cis"), &cdkcislogmonitoring.CisLogMonitoringProps{
		LogGroup:          trailLogGroup,
		Emails:            jsii.Strings("secops@example.com", "oncall@example.com"),
		PatternSet:        cdkcislogmonitoring.CisPatternSet_CIS_V3_0_0(),
		SsoAwareMfaFilter: jsii.Bool(true),
		Controls:          &controls,
		AlarmNamePrefix:   jsii.String("Prod-"),
		AlarmPeriod:       awscdk.Duration_Minutes(jsii.Number(5)),
	})
	// --8<-- [end:construct]
	return &CisMonitoringStack{Stack: stack, Monitoring: monitoring}
}

// SelfMonitoredStack shows monitoring that cannot fail silently (docs/self-monitoring.md, docs/self-audit.md).
type SelfMonitoredStack struct {
	awscdk.Stack
	Monitoring cdkcislogmonitoring.CisLogMonitoring
}

func NewSelfMonitoredStack(scope constructs.Construct, id string, props *awscdk.StackProps) *SelfMonitoredStack {
	stack := awscdk.NewStack(scope, &id, props)
	trailLogGroup := awslogs.NewLogGroup(stack, jsii.String("TrailLogGroup"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_YEAR,
	})
	evidence := awss3.NewBucket(stack, jsii.String("Evidence"), &awss3.BucketProps{
		EnforceSSL:        jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
	})

	// --8<-- [start:self-monitoring]
	monitoring := cdkcislogmonitoring.NewCisLogMonitoring(stack, jsii.String("Cis"), &cdkcislogmonitoring.CisLogMonitoringProps{
		LogGroup: trailLogGroup,
		Emails:   jsii.Strings("secops@example.com"),
		// Page when the log group received no event for 2 hours (default 1 hour).
		DeliveryHeartbeatPeriod: awscdk.Duration_Hours(jsii.Number(2)),
		// The tamper control: deleting, disabling or re-pointing this monitoring pages (on by default).
		TamperAlarm: jsii.Bool(true),
		// Judge this account's monitoring every 12 hours with the rules of check/audit:
		// a metric and an alarm, one Security Hub finding per control, AWS Config evaluations.
		SelfAudit:            jsii.Bool(true),
		SelfAuditSchedule:    awscdk.Duration_Hours(jsii.Number(12)),
		SelfAuditSecurityHub: jsii.Bool(true),
		SelfAuditConfigRule:  jsii.Bool(true),
		// ... and store its evidence report (the page audit --html writes) in S3.
		SelfAuditReportBucket: evidence,
		SelfAuditReportPrefix: jsii.String("cis/"),
		// ... and judge two member accounts too, through a role they trust this account to assume.
		SelfAuditAccounts: jsii.Strings("111111111111", "222222222222"),
		SelfAuditRoleName: jsii.String("CisMonitoringAudit"),
	})
	// --8<-- [end:self-monitoring]
	return &SelfMonitoredStack{Stack: stack, Monitoring: monitoring}
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	NewCisMonitoringStack(app, "CisMonitoring", nil)
	NewSelfMonitoredStack(app, "SelfMonitored", nil)
	app.Synth(nil)
}

// --8<-- [end:usage]
