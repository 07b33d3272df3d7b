import * as fs from 'fs';
import * as path from 'path';
import { CisPatternSet, TemplateCheckResult, checkTemplate } from 'cdk-cis-log-monitoring/lib/cli-support';
import { CliCommand, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, UsageError, declaredCommand } from '../command';
import { defineCommand } from '../options';

/** The check command's arguments, declared once: the parser and `--help` are made from this. */
export const CHECK_DECLARATION = defineCommand({
  name: 'check',
  summary: 'Check CloudFormation templates (or a cdk.out) before deployment: every control on the trail log group, chain unbroken',
  positionals: '<template.json | cdk.out>...',
  description: 'Reads CloudFormation JSON templates, or every stack template of a CDK cloud assembly (cdk.out, nested stages '
    + 'included), and fails when a trail\'s log group lacks a CIS monitoring control or when the chain metric filter -> '
    + 'metric -> alarm -> SNS topic -> subscription -> KMS key grant is broken (e.g. an alarm on a metric name no '
    + 'filter publishes). Works on any template, written with cdk-cis-log-monitoring or not. Reads no AWS account.',
  options: {
    'pattern-set': {
      type: 'string',
      valueName: 'NAME',
      description: 'whose filter pattern texts count; "any" accepts the text of every set',
      allowed: ['any', ...CisPatternSet.all().map((s) => s.name)],
      ignoreCase: true,
      default: 'any',
      parse: (name: string): CisPatternSet | undefined => (name.toLowerCase() === 'any' ? undefined : CisPatternSet.fromName(name)),
    },
    'log-group': {
      type: 'string',
      valueName: 'NAME',
      repeatable: true,
      description: 'a trail log group name to check in templates that have no trail of their own (the trail is in another stack or account)',
    },
    'json': { type: 'boolean', description: 'one JSON document instead of text' },
  },
  footer: 'Exit codes: 0 every template passes, 2 a check failed, 1 usage error or unreadable input.',
});

/** One template to check, as found on disk. */
export interface TemplateInput {
  /** Path as shown to the user. */
  readonly path: string;
  /** The stack's name when read from a cloud assembly. */
  readonly stackName?: string;
}

/**
 * The templates of the arguments: a `.json` file is one template; a directory is a cloud assembly (its
 * manifest.json lists the stacks, and nested assemblies of stages), or, without a manifest, its `*.template.json`.
 */
export function templatesOf(argument: string): TemplateInput[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(argument);
  } catch {
    throw new UsageError(`${argument}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [{ path: argument }];
  const manifestFile = path.join(argument, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    const files = fs.readdirSync(argument).filter((f) => f.endsWith('.template.json')).sort();
    if (files.length === 0) throw new UsageError(`${argument}: a directory without manifest.json or *.template.json files`);
    return files.map((f) => ({ path: path.join(argument, f) }));
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, any> };
  const found: TemplateInput[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact?.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) {
      found.push({ path: path.join(argument, artifact.properties.templateFile), stackName: artifact.properties.stackName ?? id });
    } else if (artifact?.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      found.push(...templatesOf(path.join(argument, artifact.properties.directoryName)));
    }
  }
  return found;
}

interface Checked {
  readonly input: TemplateInput;
  readonly result?: TemplateCheckResult;
  readonly error?: string;
}

/** `cdk-cis-log-monitoring check`: the preventive check of issue 11 part 5, from the library's one implementation. */
export const CHECK_COMMAND: CliCommand = declaredCommand(CHECK_DECLARATION, async ({ options, positionals }, io) => {
  if (positionals.length === 0) throw new UsageError('give at least one template file or cdk.out directory');
  const inputs = positionals.flatMap(templatesOf);
  if (inputs.length === 0) throw new UsageError(`no stack template in ${positionals.join(', ')}`);
  const checked: Checked[] = inputs.map((input) => {
    try {
      const template = JSON.parse(fs.readFileSync(input.path, 'utf8'));
      return { input, result: checkTemplate(template, { patternSet: options['pattern-set'], logGroupNames: options['log-group'] }) };
    } catch (e) {
      return { input, error: (e as Error).message };
    }
  });
  const unreadable = checked.some((c) => c.error !== undefined);
  const failed = checked.some((c) => c.result && !c.result.passed);
  if (options.json) {
    io.stdout.write(JSON.stringify({
      passed: !failed && !unreadable,
      templates: checked.map((c) => ({ path: c.input.path, stackName: c.input.stackName, error: c.error, ...c.result })),
    }, undefined, 2) + '\n');
  } else {
    for (const c of checked) io.stdout.write(describe(c));
    const errors = checked.reduce((n, c) => n + (c.result?.findings.filter((f) => f.severity === 'ERROR').length ?? 0), 0);
    io.stdout.write(`\n${failed || unreadable ? 'FAIL' : 'PASS'}: ${checked.length} template(s), ${errors} error(s)`
      + `${unreadable ? `, ${checked.filter((c) => c.error).length} unreadable` : ''}\n`);
  }
  if (unreadable) return EXIT_USAGE;
  return failed ? EXIT_PARTIAL : EXIT_OK;
});

function describe(c: Checked): string {
  const name = c.input.stackName ? `${c.input.stackName} (${c.input.path})` : c.input.path;
  if (c.error) return `${name}: cannot read: ${c.error}\n`;
  const result = c.result as TemplateCheckResult;
  if (!result.applicable) return `${name}: no trail, CIS metric filter or alarm on one: nothing to check\n`;
  const lines = [`${name}: ${result.passed ? 'PASS' : 'FAIL'}; trail log group(s): ${result.logGroups.join(', ') || 'none'}`];
  const passed = result.controls.filter((r) => r.status === 'PASS').length;
  if (result.controls.length > 0) lines.push(`  controls: ${passed}/${result.controls.length} with an unbroken chain`);
  for (const f of result.findings) {
    lines.push(`  ${f.severity} ${f.rule} [${f.logicalIds.join(', ')}]: ${f.message}`);
    if (f.fix && f.severity === 'ERROR') lines.push(`    fix: ${f.fix}`);
  }
  return lines.join('\n') + '\n';
}
