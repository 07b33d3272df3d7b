import { Alarm, AlarmMetric, Key, Known, LogGroup, MetricFilter, MetricTransformation, MonitoringSnapshot, SnapshotIndex, Subscription, Topic, Trail } from './model';
import type { CisControl } from '../catalog/cis-control';
import type { CisPatternSet } from '../catalog/cis-pattern-set';

/**
 * The rule interface (one rule per file under `rules/`, in the style of cdk-nag) and the chain a rule judges.
 */

/** A control's verdict. PASS: checked and holds; WARNING: holds with a deviation a user may intend; UNKNOWN: could not be decided; FAIL: a CIS event cannot reach a confirmed person. */
export type Verdict = 'PASS' | 'WARNING' | 'UNKNOWN' | 'FAIL';

/** What a rule reports. */
export type FindingVerdict = Exclude<Verdict, 'PASS'>;

/** The link of the chain a rule judges (for documentation and ordering). */
export type ChainLink = 'trail' | 'log group' | 'metric filter' | 'alarm' | 'topic' | 'key' | 'subscription';

/** The control being judged, and whose pattern texts count. */
export interface ControlContext {
  readonly control: CisControl;
  /** undefined: the text of any pattern set counts. */
  readonly patternSet?: CisPatternSet;
  /** The control's ID as shown (the pattern set's numbering, e.g. 4.3 or 5.3). */
  readonly id: string;
}

/**
 * One candidate chain of one control: trail → log group → metric filter (+ the transformation) → alarm (+ the
 * metric it watches) → action → topic (+ its key) → subscription. The runner enumerates every candidate; a chain
 * stops where the next link is missing (the link's `…-present` rule then reports it).
 */
export interface Chain {
  /** undefined when the snapshot cannot see the trail (a template whose trail lives elsewhere). */
  readonly trail?: Trail;
  /** The trail log group's name (from the trail's ARN, `--log-group`, or a filter's group); undefined: the trail delivers nowhere (or there is no trail). */
  readonly logGroupName?: Known<string>;
  readonly logGroup?: LogGroup;
  /** Why this group is judged without a trail (when `trail` is undefined). */
  readonly trailUnseen?: string;
  readonly filter?: MetricFilter;
  readonly transformation?: MetricTransformation;
  readonly alarm?: Alarm;
  /** The alarm's metric that watches the transformation's metric (the single metric or one query's MetricStat). */
  readonly alarmMetric?: AlarmMetric;
  /** The alarm action leading on (an ARN or a topic's key). */
  readonly action?: string;
  readonly topic?: Topic;
  /** The topic's key, when it has one and the snapshot holds it. */
  readonly key?: Key;
  readonly subscription?: Subscription;
}

/** What a rule reports about one chain. */
export interface RuleFinding {
  readonly verdict: FindingVerdict;
  /** The resources to look at, the one to fix first (their labels). */
  readonly resources: string[];
  readonly message: string;
  readonly fix: string;
}

/** A finding with its rule. */
export interface Finding extends RuleFinding {
  readonly rule: string;
}

/** One rule. */
export interface Rule {
  /** Stable ID, as reported and acknowledged, e.g. `CIS-MON-ALARM-THRESHOLD`. */
  readonly id: string;
  /** What the rule checks, in a few words. */
  readonly title: string;
  readonly link: ChainLink;
  /** The benchmark step or AWS behaviour it enforces, in one sentence. */
  readonly enforces: string;
  /** Where that is written: a URL of the AWS documentation or a CIS section. */
  readonly citation: string;
  /** The worst verdict the rule gives. */
  readonly severity: FindingVerdict;
  /** The findings for one chain of one control (empty: the rule holds or does not apply). */
  check(snapshot: SnapshotIndex, control: ControlContext, chain: Chain): RuleFinding[];
}

export type { MonitoringSnapshot };
