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

/** A pattern's Logs Insights filter, or why it has none (the InsightsTranslationError's message). */
interface Translation {
  readonly filter?: string;
  readonly untranslatable?: string;
}

// The translation is a pure function of the pattern text, and every stack of an app translates the same catalog
// patterns: translate each text once per process (bounded by the number of distinct patterns).
const TRANSLATIONS = new Map<string, Translation>();

function translate(pattern: string): Translation {
  let translation = TRANSLATIONS.get(pattern);
  if (translation === undefined) {
    try {
      translation = { filter: insightsFilter(parseExpression(pattern)) };
    } catch (e) {
      if (!(e instanceof InsightsTranslationError)) throw e;
      translation = { untranslatable: e.message };
    }
    TRANSLATIONS.set(pattern, translation);
  }
  return translation;
}

/**
 * A CloudWatch Logs Insights saved query on the trail's log group that lists the events of the control's pattern,
 * translated from the engine's syntax tree, newest first. Undefined (with a warning) when the pattern has no
 * Logs Insights translation.
 */
export function addSavedQuery(scope: Construct, owner: Construct, control: CisControl, pattern: string, logGroup: logs.ILogGroup,
  name: string): logs.QueryDefinition | undefined {
  const translated = translate(pattern);
  if (translated.untranslatable !== undefined) {
    Annotations.of(owner).addWarningV2('cdk-cis-log-monitoring:noSavedQuery', `No Logs Insights saved query for control ${control.id}: ${translated.untranslatable}.`);
    return undefined;
  }
  const filter = translated.filter!;
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
