import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from '@aws-cdk/cloud-assembly-schema';
import { TemplateInput } from 'cdk-cis-log-monitoring/lib/cli-support';
import * as YAML from 'yaml';
import { UsageError } from '../../command';

/**
 * `check`'s inputs: template files (JSON or YAML) and cloud assemblies (cdk.out, nested assemblies of stages
 * included), grouped into apps: the stacks of one assembly directory and one environment are one app (read
 * together: a trail stack and a monitoring stack, exports and imports between them); the template files named
 * on the command line are one app.
 */

/** A cloud assembly that cannot be read (malformed manifest.json, a nested assembly pointing back at itself). */
export class AssemblyError extends Error {}

/** One template file of an app, parsed, or the reason it could not be. */
export interface TemplateFile extends TemplateInput {
  readonly error?: string;
}

/** Templates read together. */
export interface App {
  /** What the report calls the app. */
  readonly label: string;
  readonly templates: TemplateFile[];
}

/** CloudFormation's short-form YAML tags (`!Ref`, `!GetAtt A.B`, `!Sub`, `!Join [...]`, ...): kept on the nodes, then rewritten. */
const SHORT_FORMS = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'ToJsonString', 'Length'];
const YAML_TAGS: YAML.Tags = SHORT_FORMS.flatMap((n): YAML.Tags => [
  { tag: `!${n}`, resolve: (value: string) => value },
  { tag: `!${n}`, collection: 'seq', resolve: (seq: YAML.YAMLSeq) => seq } as YAML.CollectionTag,
  { tag: `!${n}`, collection: 'map', resolve: (map: YAML.YAMLMap) => map } as YAML.CollectionTag,
]);

/** Parses CloudFormation YAML: each short-form tagged node becomes its long form (`!Ref X` → `{ Ref: X }`). */
function parseYaml(text: string): unknown {
  const doc = YAML.parseDocument(text, { customTags: YAML_TAGS, uniqueKeys: true });
  if (doc.errors.length > 0) throw doc.errors[0];
  YAML.visit(doc, (_key, node) => {
    if (!YAML.isNode(node) || !node.tag?.startsWith('!')) return undefined;
    const name = node.tag.slice(1);
    node.tag = undefined;
    let value: unknown = node;
    if (name === 'GetAtt' && YAML.isScalar(node) && typeof node.value === 'string' && node.value.includes('.')) {
      const dot = node.value.indexOf('.');
      value = doc.createNode([node.value.slice(0, dot), node.value.slice(dot + 1)]);
    }
    const long = new YAML.YAMLMap();
    long.set(name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`, value);
    return long;
  });
  return doc.toJS();
}

/** Parses a template's text: JSON when it is JSON (or named .json), else CloudFormation YAML. */
export function parseTemplate(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (file.endsWith('.json') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      if (file.endsWith('.json')) throw new Error(`not valid JSON: ${(e as Error).message}`);
    }
  }
  try {
    return parseYaml(text);
  } catch (e) {
    throw new Error(`neither JSON nor YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function readTemplate(file: string, name: string, env?: { account?: string; region?: string }): TemplateFile {
  try {
    return { name, path: file, template: parseTemplate(fs.readFileSync(file, 'utf8'), file), ...env };
  } catch (e) {
    return { name, path: file, template: undefined, error: (e as Error).message, ...env };
  }
}

const TEMPLATE_FILE = /\.template\.(json|ya?ml)$/;

/** The apps of the command line's arguments. */
export function appsOf(argumentList: string[]): App[] {
  const files: TemplateFile[] = [];
  const apps: App[] = [];
  for (const argument of argumentList) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(argument);
    } catch {
      throw new UsageError(`${argument}: no such file or directory`);
    }
    if (!stat.isDirectory()) {
      files.push(readTemplate(argument, path.basename(argument)));
      continue;
    }
    if (fs.existsSync(path.join(argument, 'manifest.json'))) {
      apps.push(...assemblyApps(argument, new Set()));
      continue;
    }
    const found = fs.readdirSync(argument).filter((f) => TEMPLATE_FILE.test(f)).sort();
    if (found.length === 0) throw new UsageError(`${argument}: a directory without manifest.json or *.template.json / *.template.yaml files`);
    apps.push({ label: argument, templates: found.map((f) => readTemplate(path.join(argument, f), f.replace(TEMPLATE_FILE, ''))) });
  }
  if (files.length > 0) apps.unshift({ label: files.length === 1 ? files[0].path as string : `${files.length} templates`, templates: files });
  return apps;
}

/** The apps of one cloud assembly: its stacks by environment, then each nested assembly's. */
function assemblyApps(directory: string, visited: Set<string>): App[] {
  const real = fs.realpathSync(directory);
  if (visited.has(real)) {
    throw new AssemblyError(`${directory}: a nested assembly points back at an assembly already read (directoryName '.' or a cycle)`);
  }
  visited.add(real);
  const manifestFile = path.join(directory, 'manifest.json');
  let manifest: ReturnType<typeof Manifest.loadAssemblyManifest>;
  try {
    manifest = Manifest.loadAssemblyManifest(manifestFile, { skipVersionCheck: true });
  } catch (e) {
    throw new AssemblyError(`${manifestFile}: not a readable cloud assembly manifest: ${(e as Error).message.split('\n')[0]}`);
  }
  const byEnvironment = new Map<string, TemplateFile[]>();
  const nested: App[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const properties = (artifact.properties ?? {}) as Record<string, any>;
    if (artifact.type === 'aws:cloudformation:stack' && typeof properties.templateFile === 'string') {
      const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
      const account = env && env[1] !== 'unknown-account' ? env[1] : undefined;
      const region = env && env[2] !== 'unknown-region' ? env[2] : undefined;
      const key = `${account ?? '?'}/${region ?? '?'}`;
      const template = readTemplate(path.join(directory, properties.templateFile), properties.stackName ?? id, { account, region });
      byEnvironment.set(key, [...(byEnvironment.get(key) ?? []), template]);
    } else if (artifact.type === 'cdk:cloud-assembly') {
      if (typeof properties.directoryName !== 'string' || properties.directoryName === '') {
        throw new AssemblyError(`${manifestFile}: nested assembly ${id} has no directoryName`);
      }
      nested.push(...assemblyApps(path.join(directory, properties.directoryName), visited));
    }
  }
  const apps = [...byEnvironment.entries()].map(([env, templates]) => ({
    label: `${directory}${byEnvironment.size > 1 ? ` (${env === '?/?' ? 'environment-agnostic' : `aws://${env}`})` : ''}`,
    templates,
  }));
  return [...apps, ...nested];
}
