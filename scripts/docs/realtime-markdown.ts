import { catalogVariants, PatternVariant } from '../../src/catalog/variants';
import { eventBridgePattern, EventBridgeRefusal } from '../../src/engine/eventbridge';
import { parseFilterPattern } from '../../src/engine/parser';

// docs/realtime.md's generated sections (`npx projen docs:readme`): what the EventBridge compiler makes of every
// pattern of the catalog. Documentation tooling: not shipped.

const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;

interface Verdict {
  readonly variant: PatternVariant;
  readonly json?: string;
  readonly detail?: string;
  readonly refusal?: string;
}

function verdicts(): Verdict[] {
  return [...catalogVariants()].map(variant => {
    try {
      const { json, pattern } = eventBridgePattern(parseFilterPattern(variant.text).expression);
      return { variant, json, detail: JSON.stringify(pattern.detail) };
    } catch (e) {
      if (!(e instanceof EventBridgeRefusal)) throw e;
      return { variant, refusal: e.message };
    }
  });
}

/** One row per pattern of the catalog (set x control x SSO option): exact, or refused with the reason. */
export function renderRealtimeVerdicts(): string {
  const all = verdicts();
  const exact = all.filter(v => v.json).length;
  return [
    `${exact} of ${all.length} patterns compile exactly; ${all.length - exact} are refused.`,
    '',
    '| Pattern set | Id | Control | EventBridge | Characters |',
    '| --- | --- | --- | --- | --- |',
    ...all.map(({ variant: v, json, refusal }) => `| ${v.label} | ${v.control.idIn(v.set) ?? v.control.id} | ${code(v.control.key)} `
      + `| ${json ? 'exact' : `refused: ${refusal!.replace(/\|/g, '\\|')}`} | ${json ? json.length : '—'} |`),
  ].join('\n');
}

/** The distinct compiled `detail` patterns per control, with the sets that compile to each. */
export function renderRealtimePatterns(): string {
  const byDetail = new Map<string, { key: string; labels: string[] }>();
  for (const v of verdicts()) {
    if (!v.detail) continue;
    const id = `${v.variant.control.key}\0${v.detail}`;
    const entry = byDetail.get(id) ?? { key: v.variant.control.key, labels: [] };
    entry.labels.push(v.variant.label);
    byDetail.set(id, entry);
  }
  return [
    '| Control | Pattern sets | `detail` of the EventBridge pattern |',
    '| --- | --- | --- |',
    ...[...byDetail].map(([id, { key, labels }]) => `| ${code(key)} | ${labels.join(', ')} | ${code(id.split('\0')[1])} |`),
  ].join('\n');
}

/** docs/realtime.md sections by marker name. */
export function realtimeSections(): Record<string, string> {
  return { 'realtime-verdicts': renderRealtimeVerdicts(), 'realtime-patterns': renderRealtimePatterns() };
}
