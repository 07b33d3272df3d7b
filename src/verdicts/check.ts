import * as fs from 'fs';
import * as path from 'path';
import { MonitoringSnapshot, Origin } from './model';
import { RunOptions, SnapshotVerdict, runRules } from './runner';
import { NestedLoader, TemplateInput, snapshotFromTemplates } from './template/adapter';

/**
 * `check` and `CisMonitoringPolicyPlugin`: templates → one snapshot (the template adapter) → the rules (the
 * runner). One implementation for both; `audit` runs the same rules on its live adapter's snapshot.
 */

/** Reported when a snapshot has nothing to check (no trail, no CIS metric filter, no --log-group): UNKNOWN, never PASS. */
export const NOTHING_TO_CHECK = 'CIS-MON-NOTHING-TO-CHECK';

export interface TemplateCheckOptions extends RunOptions {
  /** Trail log group names to judge when no trail of the templates delivers (the trail is in another stack or account). */
  readonly logGroupNames?: string[];
  /** Reads a nested stack's template (see `nestedTemplateLoader`). @default - nested stacks are not read (noted as unseen) */
  readonly loadNested?: NestedLoader;
}

export interface TemplateCheckResult extends SnapshotVerdict {
  readonly snapshot: MonitoringSnapshot;
  /** Resource origins by label (for reports that need logical IDs and template paths). */
  readonly origins: Map<string, Origin>;
}

/** Checks the templates of one app (or one file) together. */
export function checkTemplates(inputs: TemplateInput[], options: TemplateCheckOptions = {}): TemplateCheckResult {
  const snapshot = snapshotFromTemplates(inputs, { monitoredLogGroups: options.logGroupNames, loadNested: options.loadNested });
  const verdict = runRules(snapshot, options);
  const origins = new Map<string, Origin>();
  const all = [...snapshot.trails, ...snapshot.logGroups, ...snapshot.metricFilters, ...snapshot.alarms, ...snapshot.topics];
  for (const r of [...all, ...snapshot.subscriptions, ...snapshot.keys]) {
    origins.set(r.origin.label, r.origin);
  }
  return { ...verdict, snapshot, origins };
}

/**
 * Reads nested stack templates from disk, as a cloud assembly lays them out: the `aws:asset:path` metadata of the
 * `AWS::CloudFormation::Stack` resource, or else the asset whose hash ends its TemplateURL, looked up in the
 * `*.assets.json` files next to the parent template. `parse` turns text into a template (JSON by default).
 * undefined when nothing is found or readable (the adapter notes the nested stack as unseen).
 */
export function nestedTemplateLoader(parse: (text: string, file: string) => unknown = (text) => JSON.parse(text)): NestedLoader {
  return (ref, parentPath) => {
    if (parentPath === undefined) return undefined;
    const dir = path.dirname(parentPath);
    let relative = ref.assetPath;
    const hash = /([0-9a-f]{64})\.json$/.exec(ref.templateUrl ?? '')?.[1];
    if (relative === undefined && hash !== undefined) {
      for (const file of safeList(dir).filter((f) => f.endsWith('.assets.json'))) {
        try {
          const source = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))?.files?.[hash]?.source?.path;
          if (typeof source === 'string') relative = source;
        } catch {
          // An unreadable assets manifest names nothing.
        }
      }
    }
    if (relative === undefined) return undefined;
    const file = path.resolve(dir, relative);
    try {
      return { template: parse(fs.readFileSync(file, 'utf8'), file), path: file };
    } catch {
      return undefined;
    }
  };
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

