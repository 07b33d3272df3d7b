import { Known, isUnknown } from '../model';
import { Match } from '../policy';
import { Chain, Rule } from '../rule';
import { finding, undecided } from './util';

type Body = Record<string, Known<unknown> | undefined>;

/** The alarm notification's JSON body as CloudWatch publishes it, with the fields this check can know. */
function notificationBody(chain: Chain, account: Known<string> | undefined): Body {
  const alarm = chain.alarm;
  const metric = chain.alarmMetric;
  return {
    AlarmName: alarm?.name,
    AlarmArn: alarm?.arn,
    NewStateValue: 'ALARM',
    AWSAccountId: account,
    Trigger: { MetricName: metric?.metricName, Namespace: metric?.namespace },
  };
}

const KNOWN_FIELDS = new Set(['AlarmName', 'AlarmArn', 'NewStateValue', 'AWSAccountId', 'Trigger', 'Trigger.MetricName', 'Trigger.Namespace']);

function valueMatches(condition: unknown, value: Known<unknown> | undefined, present: boolean): Match {
  if (isUnknown(condition)) return 'maybe';
  if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
    const [op, arg] = Object.entries(condition as Record<string, unknown>)[0] ?? [];
    if (op === 'exists') return arg === present;
    if (!present) return false;
    if (isUnknown(value) || value === undefined) return 'maybe';
    const text = String(value);
    if (op === 'prefix' && typeof arg === 'string') return text.startsWith(arg);
    if (op === 'suffix' && typeof arg === 'string') return text.endsWith(arg);
    if (op === 'equals-ignore-case' && typeof arg === 'string') return text.toLowerCase() === arg.toLowerCase();
    if (op === 'anything-but') {
      if (Array.isArray(arg) || typeof arg === 'string' || typeof arg === 'number') return !(Array.isArray(arg) ? arg : [arg]).map(String).includes(text);
      return 'maybe';
    }
    return 'maybe';
  }
  if (!present) return false;
  if (isUnknown(value) || value === undefined) return 'maybe';
  return String(condition) === String(value);
}

function policyMatches(policy: unknown, body: Body | undefined, path: string): Match {
  if (isUnknown(policy) || policy === null || typeof policy !== 'object' || Array.isArray(policy)) return 'maybe';
  let result: Match = true;
  for (const [key, conditions] of Object.entries(policy as Record<string, unknown>)) {
    let m: Match;
    if (key === '$or' && Array.isArray(conditions)) {
      const each = conditions.map((c) => policyMatches(c, body, path));
      m = each.includes(true) ? true : each.includes('maybe') ? 'maybe' : false;
    } else {
      const field = path ? `${path}.${key}` : key;
      const value = body?.[key];
      const nested = conditions !== null && typeof conditions === 'object' && !Array.isArray(conditions) && !isUnknown(conditions);
      if (nested) {
        m = value !== undefined && !isUnknown(value) && typeof value === 'object' ? policyMatches(conditions, value as Body, field) : (body === undefined ? false : 'maybe');
      } else {
        const present = body !== undefined && value !== undefined;
        if (body !== undefined && !KNOWN_FIELDS.has(field)) {m = 'maybe';} else {
          const list = Array.isArray(conditions) ? conditions : [conditions];
          const each = list.map((c) => valueMatches(c, value, present));
          m = each.includes(true) ? true : each.includes('maybe') ? 'maybe' : false;
        }
      }
    }
    if (m === false) return false;
    if (m === 'maybe') result = 'maybe';
  }
  return result;
}

/** The subscription's filter policy lets the alarm's notification through. */
export const SUBSCRIPTION_FILTER_POLICY: Rule = {
  id: 'CIS-MON-SUBSCRIPTION-FILTER-POLICY',
  title: 'The subscription\'s filter policy lets the alarm through',
  link: 'subscription',
  enforces: 'A subscriber with a filter policy receives only the messages that satisfy it; CloudWatch alarm notifications carry no message attributes, so a policy on attributes (the default scope) drops them unless every condition is {"exists": false}, and a body policy must match the notification\'s JSON.',
  citation: 'https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html; https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html',
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    const s = chain.subscription;
    if (!s || s.filterPolicy === undefined) return [];
    const label = s.origin.label;
    if (isUnknown(s.filterPolicy)) return [undecided(label, `the filter policy of subscription ${label}`, s.filterPolicy, 'it may drop the alarm')];
    if (isUnknown(s.filterPolicyScope)) return [undecided(label, `the filter policy scope of subscription ${label}`, s.filterPolicyScope, 'it may drop the alarm')];
    const policy = s.filterPolicy;
    if (policy !== null && typeof policy === 'object' && Object.keys(policy).length === 0) return [];
    const body = (s.filterPolicyScope ?? 'MessageAttributes') === 'MessageBody' ? notificationBody(chain, snapshot.snapshot.account) : undefined;
    const match = policyMatches(policy, body, '');
    const fix = 'Remove the filter policy from the subscription that should receive the alarms (or make it match the notification).';
    if (match === true) return [];
    if (match === 'maybe') {
      return [finding('UNKNOWN', [label], `the filter policy of subscription ${label} may drop alarm ${chain.alarm?.origin.label}'s notification (a condition on a field or value this check cannot know)`, fix)];
    }
    return [finding('FAIL', [label], `the filter policy of subscription ${label} drops alarm ${chain.alarm?.origin.label}'s notification${body ? '' : ' (alarm notifications carry no message attributes)'}: nobody on it is notified`, fix)];
  },
};
