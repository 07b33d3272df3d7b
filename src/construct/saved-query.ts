import { Annotations, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl } from '../catalog';
import { parseExpression } from '../engine/compose';
import { InsightsTranslationError, insightsFilter } from '../engine/insights';

/** Construct ID of a control's saved query. Part of the API: never change. */
export const SAVED_QUERY_ID = 'WhoDidItQuery';

/** The CloudTrail fields a person needs first: what, who, from where, in which account and region. */
export const DIGEST_FIELDS = ['@timestamp', 'eventSource', 'eventName', 'userIdentity.type', 'userIdentity.arn', 'sourceIPAddress',
  'recipientAccountId', 'awsRegion', 'errorCode'];

/** How many events the saved query lists. */
const QUERY_LIMIT = 200;

/** The saved query's name: a folder per construct in the console, then the control. */
export function savedQueryName(alarmNamePrefix: string, control: CisControl): string {
  return `cis-log-monitoring/${alarmNamePrefix.replace(/-$/, '')}/${control.id} ${control.alarmName}`;
}

/**
 * A CloudWatch Logs Insights saved query on the trail's log group that lists the events of the control's pattern,
 * translated from the engine's syntax tree, newest first. Undefined (with a warning) when the pattern has no
 * Logs Insights translation.
 */
export function addSavedQuery(scope: Construct, owner: Construct, control: CisControl, pattern: string, logGroup: logs.ILogGroup,
  name: string): logs.QueryDefinition | undefined {
  let filter: string;
  try {
    filter = insightsFilter(parseExpression(pattern));
  } catch (e) {
    if (!(e instanceof InsightsTranslationError)) throw e;
    Annotations.of(owner).addWarningV2('cdk-cis-log-monitoring:noSavedQuery', `No Logs Insights saved query for control ${control.id}: ${e.message}.`);
    return undefined;
  }
  return new logs.QueryDefinition(scope, SAVED_QUERY_ID, {
    queryDefinitionName: name,
    logGroups: [logGroup],
    queryString: new logs.QueryString({
      fields: DIGEST_FIELDS,
      filterStatements: [filter],
      sort: '@timestamp desc',
      limit: QUERY_LIMIT,
    }),
  });
}
