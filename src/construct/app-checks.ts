import {
  Annotations, Reference, Stack, Stage, Token, TokenComparison, Tokenization, aws_cloudwatch as cloudwatch, aws_logs as logs,
} from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MAX_METRIC_FILTERS_PER_LOG_GROUP, containsRegex, fail, regexFilterProblems } from './validation';

// Checks that look beyond one CisLogMonitoring: where the log group lives, and what else in the app is
// deployed to the same account and region (metric filters on the same group, alarms of the same name).

/** How an account or region reads in an error: the value, or that it is known only at deploy time. */
function shown(value: string): string {
  return Token.isUnresolved(value) ? '(known only at deploy time)' : value;
}

function envText(account: string, region: string): string {
  return `account ${shown(account)}, region ${shown(region)}`;
}

/**
 * A metric filter is created in the account and region of its stack, on the log group of that name there. A group
 * that lives elsewhere (imported by ARN, or defined in a stack of another environment) would silently be replaced by a
 * same-named group in the stack's own environment, or the deploy fails: refuse at synth. When one side is known only
 * at deploy time (env-agnostic stacks, ARNs from parameters) nothing can be compared: warn.
 */
export function checkLogGroupEnvironment(scope: IConstruct, logGroup: logs.ILogGroup): void {
  const stack = Stack.of(scope);
  const env = logGroup.env;
  if (!env) return;
  const account = compare(stack, env.account, stack.account);
  const region = compare(stack, env.region, stack.region);
  const where = `log group ${logGroup.node.path} lives in ${envText(env.account, env.region)}; stack ${stack.stackName} deploys to `
    + `${envText(stack.account, stack.region)}`;
  if (account === TokenComparison.DIFFERENT || region === TokenComparison.DIFFERENT) {
    fail(scope, `${where}. Metric filters are created in the stack's account and region, so they would watch a same-named log group `
      + 'there (or fail to deploy), not yours. Deploy CisLogMonitoring in a stack of the log group\'s account and region.');
  }
  if (account !== TokenComparison.SAME || region !== TokenComparison.SAME) {
    Annotations.of(scope).addWarningV2('cdk-cis-log-monitoring:logGroupEnvironmentUnknown',
      `${where}, so synth cannot check that they are the same. The metric filters watch the log group of that name in the account `
      + 'and region the stack is deployed to. Give the stack an explicit env (account and region) to have this checked.');
  }
}

/** Like `Token.compareStrings`, but two tokens that resolve to the same expression (e.g. both `AWS::AccountId`) are the SAME. */
function compare(stack: Stack, a: string, b: string): TokenComparison {
  if (a === b) return TokenComparison.SAME;
  const comparison = Token.compareStrings(a, b);
  if (comparison === TokenComparison.BOTH_UNRESOLVED && JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b))) {
    return TokenComparison.SAME;
  }
  return comparison;
}

/** The app's metric filters and alarms, indexed once per synth pass. */
interface AppIndex {
  /** Metric filters by log group identity (see `groupKey`). */
  readonly filtersByGroup: Map<string, logs.CfnMetricFilter[]>;
  /** Subscription filters by log group identity (they count toward the per-group regex limit). */
  readonly subscriptionsByGroup: Map<string, logs.CfnSubscriptionFilter[]>;
  /** Alarms by account, region and name. */
  readonly alarmsByName: Map<string, cloudwatch.CfnAlarm[]>;
  /** The log group identity of a metric or subscription filter. */
  groupKey(filter: logs.CfnMetricFilter | logs.CfnSubscriptionFilter): string;
}

const INDEX = new WeakMap<IConstruct, AppIndex>();
const RESET_HOOKED = new WeakSet<IConstruct>();

/**
 * Makes sure the app index is rebuilt at the start of every validation pass. CDK validates a stage's tree in
 * pre-order, the stage itself first, so a validation on the stage runs before any CisLogMonitoring's own.
 */
export function registerForAppChecks(scope: IConstruct): void {
  const root = scope.node.root;
  for (const stage of [Stage.of(scope), root]) {
    if (!stage || RESET_HOOKED.has(stage)) continue;
    RESET_HOOKED.add(stage);
    stage.node.addValidation({ validate: () => { INDEX.delete(root); return []; } });
  }
}

function appIndex(scope: IConstruct): AppIndex {
  const root = scope.node.root;
  let index = INDEX.get(root);
  if (!index) {
    index = buildIndex(root);
    INDEX.set(root, index);
  }
  return index;
}

/** A property's value as CloudFormation gets it; literals (the common case) need no resolving. */
function resolved(stack: Stack, value: unknown): unknown {
  return Token.isUnresolved(value) ? stack.resolve(value) : value;
}

/**
 * Where a stack deploys to. A stack without an explicit account and region (env-agnostic) may go anywhere: it is
 * compared only with itself, so that two such stacks meant for different accounts are not refused.
 */
function envKey(stack: Stack): string {
  return Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region) ? `stack:${stack.node.path}` : `${stack.account}|${stack.region}`;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

function buildIndex(root: IConstruct): AppIndex {
  const filtersByGroup = new Map<string, logs.CfnMetricFilter[]>();
  const subscriptionsByGroup = new Map<string, logs.CfnSubscriptionFilter[]>();
  const alarmsByName = new Map<string, cloudwatch.CfnAlarm[]>();
  const keyers = new Map<Stack, GroupKeyer>();
  const groupKey = (filter: logs.CfnMetricFilter | logs.CfnSubscriptionFilter) => {
    const stack = Stack.of(filter);
    let keyer = keyers.get(stack);
    if (!keyer) keyers.set(stack, keyer = new GroupKeyer(stack));
    return keyer.key(filter.logGroupName);
  };
  for (const construct of root.node.findAll()) {
    if (construct instanceof logs.CfnMetricFilter) {
      push(filtersByGroup, groupKey(construct), construct);
    } else if (construct instanceof logs.CfnSubscriptionFilter) {
      push(subscriptionsByGroup, groupKey(construct), construct);
    } else if (construct instanceof cloudwatch.CfnAlarm && construct.alarmName !== undefined) {
      const stack = Stack.of(construct);
      const name = resolved(stack, construct.alarmName);
      if (typeof name === 'string') push(alarmsByName, `${envKey(stack)}|${name}`, construct);
    }
  }
  return { filtersByGroup, subscriptionsByGroup, alarmsByName, groupKey };
}

/**
 * The identity of a log group as a metric filter's `LogGroupName` names it: the account, region and name when the
 * name is known at synth, however the group is referenced (a `LogGroup` with `logGroupName: 'x'`, in this stack or
 * another, is a reference to its `AWS::Logs::LogGroup`; `fromLogGroupName('x')` is `'x'`); otherwise the stack and
 * the CloudFormation expression.
 */
class GroupKeyer {
  private readonly byRaw = new Map<string, string>();

  constructor(private readonly stack: Stack) {}

  key(logGroupName: string): string {
    let key = this.byRaw.get(logGroupName);
    if (key === undefined) {
      key = this.compute(logGroupName);
      this.byRaw.set(logGroupName, key);
    }
    return key;
  }

  private compute(logGroupName: string): string {
    const named = namedGroupOf(logGroupName);
    if (named) return named;
    const value = this.stack.resolve(logGroupName);
    return typeof value === 'string' ? `${envKey(this.stack)}|name:${value}` : `${this.stack.node.path}|expr:${JSON.stringify(value)}`;
  }
}

/** For a reference to a log group defined in the app with a literal name: the group's account, region and name. */
function namedGroupOf(logGroupName: string): string | undefined {
  if (!Token.isUnresolved(logGroupName)) return undefined;
  const reference = Tokenization.reverse(logGroupName, { failConcat: false });
  if (!Reference.isReference(reference) || !(reference.target instanceof logs.CfnLogGroup)) return undefined;
  const group = reference.target;
  const home = Stack.of(group);
  const name = group.logGroupName === undefined ? undefined : home.resolve(group.logGroupName);
  return typeof name === 'string' ? `${envKey(home)}|name:${name}` : undefined;
}

/** Who owns a resource, for messages: the nearest CisLogMonitoring-like scope, else the resource's own path. */
function owner(construct: IConstruct, isInstance: (c: IConstruct) => boolean): string {
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    if (isInstance(scope)) return scope.node.path;
  }
  return construct.node.path;
}

/**
 * Problems with the metric filters of one instance on its log group: more than CloudWatch Logs allows per group,
 * more regex-containing filter patterns than it allows per group (when this instance adds one), and filter names
 * another filter on the same group already uses (CloudWatch Logs refuses the second at deploy).
 */
export function metricFilterProblems(
  instance: IConstruct, logGroup: logs.ILogGroup, filters: logs.MetricFilter[], isInstance: (c: IConstruct) => boolean,
): string[] {
  const own = filters.map((f) => f.node.defaultChild as logs.CfnMetricFilter);
  if (own.length === 0) return [];
  const index = appIndex(instance);
  const sameGroup = index.filtersByGroup.get(index.groupKey(own[0])) ?? [];
  const problems: string[] = [];

  if (sameGroup.length > MAX_METRIC_FILTERS_PER_LOG_GROUP) {
    const stacks = [...new Set(sameGroup.map((f) => Stack.of(f).stackName))];
    problems.push(`log group ${logGroup.node.path} would have ${sameGroup.length} metric filters in ${stacks.length === 1 ? 'stack' : 'stacks'} `
      + `${stacks.join(', ')}; CloudWatch Logs allows ${MAX_METRIC_FILTERS_PER_LOG_GROUP} per log group. Deploy fewer controls (\`controls\`) `
      + 'or remove other metric filters from it.');
  }

  const hasRegex = (filter: logs.CfnMetricFilter | logs.CfnSubscriptionFilter) => {
    const pattern = resolved(Stack.of(filter), filter.filterPattern);
    return typeof pattern === 'string' && containsRegex(pattern);
  };
  if (own.some(hasRegex)) {
    const withRegex = [...sameGroup, ...index.subscriptionsByGroup.get(index.groupKey(own[0])) ?? []].filter(hasRegex);
    problems.push(...regexFilterProblems(logGroup.node.path, withRegex.map((f) => f.node.path)));
  }

  const ownSet = new Set<IConstruct>(own);
  const clashes = new Map<string, string[]>();
  for (const filter of own) {
    const name = resolved(Stack.of(filter), filter.filterName);
    if (typeof name !== 'string') continue;
    for (const other of sameGroup) {
      if (ownSet.has(other) || resolved(Stack.of(other), other.filterName) !== name) continue;
      push(clashes, owner(other, isInstance), name);
    }
  }
  for (const [other, names] of clashes) {
    problems.push(`${names.length} metric filter name(s) on log group ${logGroup.node.path} are also used by ${other} on the same log group `
      + `(${names.join(', ')}). Filter names are unique per log group, so the deploy would fail. Two CisLogMonitoring instances on one `
      + 'log group must deploy different controls (`controls`); one instance is enough for the audit of that group.');
  }
  return problems;
}

/** Alarm names of one instance that another alarm in the same account and region already uses. */
export function alarmNameProblems(instance: IConstruct, alarms: cloudwatch.Alarm[], isInstance: (c: IConstruct) => boolean): string[] {
  const index = appIndex(instance);
  const ownSet = new Set<IConstruct>(alarms.map((a) => a.node.defaultChild as IConstruct));
  const clashes = new Map<string, string[]>();
  for (const alarm of alarms) {
    const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    const stack = Stack.of(cfn);
    const name = resolved(stack, cfn.alarmName);
    if (typeof name !== 'string') continue;
    for (const other of index.alarmsByName.get(`${envKey(stack)}|${name}`) ?? []) {
      if (!ownSet.has(other)) push(clashes, owner(other, isInstance), name);
    }
  }
  return [...clashes].map(([other, names]) => `${names.length} alarm name(s) are also used by ${other} in the same account and region `
    + `(${names.join(', ')}). Alarm names are unique per account and region, so the deploy would fail. Give each instance its own `
    + '`alarmNamePrefix`, and each custom control its own `alarmName`.');
}
