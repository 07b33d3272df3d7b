import { Annotations, Stack, Token, aws_events as events, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl } from '../catalog';
import { fail } from './validation';
import { EventBridgeRefusal, eventBridgePattern } from '../engine/eventbridge';
import { parseFilterPattern } from '../engine/parser';

// The `realTime` option (issue 21 §3): per control one EventBridge rule on the default event bus whose pattern is the
// control's filter pattern (the operational one when exclusions apply) compiled by src/engine/eventbridge.ts, and
// whose targets are the topics the control's people-facing alarm notifies. docs/realtime.md, "The construct option".

/** Construct ID of the rule inside a control's scope. Part of the API: never change. */
export const REAL_TIME_RULE_ID = 'RealTimeRule';

/** EventBridge allows at most 5 targets per rule. */
const MAX_TARGETS = 5;

/**
 * Read-only management events that EventBridge leaves out of a rule in state ENABLED are those whose name starts
 * with one of these (EventBridge user guide, "Receiving read-only management events from AWS services").
 */
const READ_ONLY_NAME_PREFIXES = ['Describe', 'Get', 'List'];

/**
 * Event sources whose CloudTrail events EventBridge receives only in us-east-1: IAM, Organizations, STS called on
 * its global endpoint, and AWS sign-in (EventBridge user guide, "Events from AWS services").
 */
export const US_EAST_1_ONLY_SOURCES = ['iam.amazonaws.com', 'organizations.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com'];

/** One control's rule, as the construct builds it. */
export interface RealTimeControl {
  readonly control: CisControl;
  /** The control's id in the construct's pattern set (e.g. 4.1), for the messages. */
  readonly id: string;
  readonly scope: Construct;
  /** The pattern whose matches page people: the operational pattern when exclusions apply, else the control's. */
  readonly pattern: string;
  /** The topics the control's people-facing alarm notifies, in order. */
  readonly topics: readonly sns.ITopic[];
}

/** What a compiled pattern means for delivery. */
export interface DeliveryFacts {
  /** Whether the pattern can match a read-only event that a rule in state ENABLED does not receive. */
  readonly readOnly: boolean;
  /** Whether the pattern can match an event of a source EventBridge receives only in us-east-1. */
  readonly usEast1Only: boolean;
}

/**
 * The delivery facts of a compiled `detail`: an alternative (of `$or`) receives every event it matches in state
 * ENABLED only when it pins `eventName` to plain names none of which starts with Describe, Get or List; it can
 * match no us-east-1-only event only when it pins `eventSource` to plain sources none of which is such a source.
 * Anything else (prefixes, anything-but, no condition) counts as "can match".
 */
export function deliveryFacts(detail: Record<string, unknown>): DeliveryFacts {
  const alternatives = Array.isArray(detail.$or) ? detail.$or as Record<string, unknown>[] : [detail];
  const plain = (value: unknown): string[] | undefined =>
    (Array.isArray(value) && value.every(v => typeof v === 'string') ? value as string[] : undefined);
  return {
    readOnly: alternatives.some(a => {
      const names = plain(a.eventName);
      return !names || names.some(n => READ_ONLY_NAME_PREFIXES.some(p => n.startsWith(p)));
    }),
    usEast1Only: alternatives.some(a => {
      const sources = plain(a.eventSource);
      return !sources || sources.some(s => US_EAST_1_ONLY_SOURCES.includes(s));
    }),
  };
}

/** The message each rule sends: one line naming the control and the event, with a link to CloudTrail event history. */
function inputTransformer(id: string, control: CisControl): events.CfnRule.InputTransformerProperty {
  return {
    inputPathsMap: {
      eventName: '$.detail.eventName',
      principal: '$.detail.userIdentity.arn',
      sourceIp: '$.detail.sourceIPAddress',
      account: '$.account',
      region: '$.region',
      time: '$.time',
      eventId: '$.detail.eventID',
    },
    inputTemplate: JSON.stringify(`CIS ${id} ${control.key} (${control.title}): <eventName> by <principal> from <sourceIp> `
      + 'in account <account>, region <region>, at <time>. Event ID <eventId>: '
      + 'https://<region>.console.aws.amazon.com/cloudtrailv2/home?region=<region>#/events/<eventId>'),
  };
}

/** Creates the rules and lets EventBridge publish to their topics (and use the topics' keys). */
export function addRealTimeRules(owner: Construct, controls: readonly RealTimeControl[]): events.CfnRule[] {
  const stack = Stack.of(owner);
  const rules: events.CfnRule[] = [];
  const topics = new Set<sns.ITopic>();
  const usEast1Only: string[] = [];
  for (const c of controls) {
    let compiled;
    try {
      compiled = eventBridgePattern(parseFilterPattern(c.pattern).expression);
    } catch (error) {
      if (!(error instanceof EventBridgeRefusal)) throw error;
      fail(owner, `realTime: control ${c.id} (${c.control.key}) has no exact EventBridge pattern: `
        + `${error.message}. Leave realTime off, or deploy this control without it (controls / exclusions).`);
    }
    const targets = [...new Set(c.topics)];
    if (targets.length > MAX_TARGETS) {
      fail(owner, `realTime: control ${c.id} (${c.control.key}) notifies ${targets.length} topics; `
        + `an EventBridge rule has at most ${MAX_TARGETS} targets. Merge severity routes.`);
    }
    const facts = deliveryFacts(compiled.pattern.detail as Record<string, unknown>);
    if (facts.usEast1Only) usEast1Only.push(c.id);
    rules.push(new events.CfnRule(c.scope, REAL_TIME_RULE_ID, {
      description: `CIS ${c.id} ${c.control.key}, real time: each CloudTrail event the control's filter pattern matches`.slice(0, 512),
      eventPattern: compiled.pattern,
      state: facts.readOnly ? 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' : 'ENABLED',
      targets: targets.map((topic, index) => ({
        id: `Topic${index}`,
        arn: topic.topicArn,
        inputTransformer: inputTransformer(c.id, c.control),
      })),
    }));
    targets.forEach(t => topics.add(t));
  }
  const keys = new Set<kms.IKey>();
  for (const topic of topics) {
    allowEventBridgeToPublish(owner, topic);
    const key = (topic as { masterKey?: kms.IKey }).masterKey;
    if (key) keys.add(key);
  }
  for (const key of keys) allowEventBridgeToUseKey(owner, key);
  // A region token (an environment-agnostic stack) is not the string us-east-1 either.
  if (usEast1Only.length > 0 && stack.region !== 'us-east-1') {
    Annotations.of(owner).addWarningV2('cdk-cis-log-monitoring:realTimeUsEast1',
      `realTime: the patterns of controls ${usEast1Only.join(', ')} can match events of IAM, Organizations, STS (global endpoint) or AWS `
      + `sign-in, which EventBridge receives only in us-east-1, and this stack's region is ${Token.isUnresolved(stack.region) ? 'not known at synth' : stack.region}. `
      + 'The rules here catch those controls\' events of this region only; deploy the same construct with realTime in a us-east-1 stack '
      + '(its own topic and subscribers) for the rest. See docs/realtime.md.');
  }
  return rules;
}

function allowEventBridgeToPublish(owner: Construct, topic: sns.ITopic): void {
  const added = topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventBridgeRulesToPublish',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(owner).account } },
  })).statementAdded;
  if (!added) {
    Annotations.of(owner).addWarningV2('cdk-cis-log-monitoring:realTimeImportedTopic',
      `realTime: topic ${topic.node.path} is imported, so its policy cannot be changed here. Allow the service principal `
      + 'events.amazonaws.com sns:Publish on it (and, if it is encrypted, kms:Decrypt and kms:GenerateDataKey* on its key), '
      + 'or every real-time notice is dropped.');
  }
}

function allowEventBridgeToUseKey(owner: Construct, key: kms.IKey): void {
  // The SNS developer guide, "Configure AWS KMS permissions for AWS services": an encrypted topic that EventBridge
  // publishes to needs kms:Decrypt and kms:GenerateDataKey* for events.amazonaws.com in the key policy.
  const added = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventBridgeRulesToUseTheKey',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }), true).statementAdded;
  if (!added) {
    Annotations.of(owner).addWarningV2('cdk-cis-log-monitoring:realTimeImportedKey',
      'realTime: the topic\'s KMS key is imported, so its key policy cannot be changed here. Allow the service principal '
      + 'events.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, or every real-time notice is dropped.');
  }
}
