// issue 21 §3: the realTime rules' EventPatterns, as synthesized, run by moto's EventBridge (PutRule, PutTargets to
// an SQS queue, PutEvents, ReceiveMessage) on the catalog's CloudTrail vectors, against the engine's evaluator of
// the control's metric filter pattern. moto implements part of the pattern language (MOTO_OPERATORS); a control whose
// pattern used another operator would be left out (printed with the operator) and left to
// test/eventbridge/equivalence.test.ts (aws/event-ruler, EventBridge's own matcher). Today's RECOMMENDED patterns
// use prefix, suffix, anything-but and exists only, so all of them are checked here.
import { execFileSync } from 'child_process';
import { join } from 'path';
import { MotoServer, REPO_ROOT } from './moto/server';
import { CisControl, CisPatternSet } from '../../src';
import { compileExpression } from '../../src/engine/compile';
import { parseFilterPattern } from '../../src/engine/parser';
import { synth } from '../construct/helpers';
import { onEventBridge } from '../eventbridge/records';
import { loadFixtureRecords } from '../fixtures/cloudtrail/load';

const PYTHON = join(REPO_ROOT, '.venv-moto', 'bin', 'python');
const SCRIPT = join(__dirname, 'realtime', 'eventbridge-sqs.py');

/** The named filters moto 5.2.5 implements (moto/events/models.py, EventPattern._does_item_match_named_filter), and $or. */
const MOTO_OPERATORS = new Set(['$or', 'prefix', 'suffix', 'equals-ignore-case', 'anything-but', 'exists', 'numeric', 'cidr', 'wildcard']);

/** The operators a pattern uses: the keys of the objects in its value lists, and $or. */
function operators(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) {
      if (item && typeof item === 'object') for (const key of Object.keys(item)) found.add(key);
      operators(item, found);
    }
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$or') found.add(key);
      operators(value, found);
    }
  }
  return found;
}

/** Runs rules and events through moto's EventBridge; the indexes of the events each rule delivered to its queue. */
function runInMoto(endpoint: string, rules: { name: string; pattern: unknown }[], events: unknown[]): Record<string, number[]> {
  const input = JSON.stringify({ endpoint, rules: rules.map(r => ({ name: r.name, pattern: JSON.stringify(r.pattern) })), events });
  return JSON.parse(execFileSync(PYTHON, [SCRIPT], { input, encoding: 'utf8', timeout: 120_000 }));
}

let moto: MotoServer;
beforeAll(async () => { moto = await MotoServer.start(); }, 60_000);
afterAll(async () => { await moto?.stop(); });

// The records, distinct, as EventBridge delivers them.
const records = [...new Map(loadFixtureRecords().map(r => [JSON.stringify(r), r])).values()];
const events = records.map(r => onEventBridge(r) as any);

function realTimeRules(): { control: CisControl; name: string; pattern: any }[] {
  const { template, monitoring } = synth({ realTime: true });
  const byId = template.findResources('AWS::Events::Rule');
  return monitoring.controls.map(control => {
    const found = Object.entries(byId).filter(([id]) => id.startsWith(`Cis${control.constructId}RealTimeRule`));
    expect(found).toHaveLength(1);
    return { control, name: `cis-${control.constructId}`.slice(0, 64), pattern: (found[0][1] as any).Properties.EventPattern };
  });
}

describe('realTime rules in moto\'s EventBridge', () => {
  test('deliver the catalog\'s CloudTrail events the engine matches, and no other', () => {
    const started = Date.now();
    const all = realTimeRules();
    const checkable = all.filter(r => [...operators(r.pattern)].every(op => MOTO_OPERATORS.has(op)));
    const unchecked = all.filter(r => !checkable.includes(r))
      .map(r => `${r.control.constructId}: ${[...operators(r.pattern)].filter(op => !MOTO_OPERATORS.has(op)).join(', ')}`);
    console.info(`moto checks ${checkable.length}/${all.length} controls; not: ${unchecked.join('; ') || 'none'}`);
    expect(checkable.length).toBeGreaterThanOrEqual(all.length / 2);

    const delivered = runInMoto(moto.endpoint, checkable, events);
    let matched = 0;
    for (const rule of checkable) {
      const engine = compileExpression(parseFilterPattern(rule.control.patternFor(CisPatternSet.RECOMMENDED, false)).expression);
      const expected = records.flatMap((r, i) => (engine(r) ? [i] : []));
      const id = rule.control.constructId;
      expect({ control: id, delivered: delivered[rule.name] }).toEqual({ control: id, delivered: expected });
      matched += expected.length;
    }
    const total = checkable.length * events.length;
    console.info(`${events.length} events x ${checkable.length} rules: ${matched} delivered, ${total - matched} not, in ${Date.now() - started} ms`);
    // Non-trivial: every checked control has a vector it delivers, and most pairs are not delivered.
    for (const rule of checkable) expect(delivered[rule.name].length).toBeGreaterThan(0);
    expect(total - matched).toBeGreaterThan(matched);
  }, 180_000);
});
