import {
  RULES, TemplateCheckResult, TemplateFormatError, Verdict, checkTemplates, nestedTemplateLoader, worstVerdict,
} from 'cdk-cis-log-monitoring/lib/cli-support';
import { App, AssemblyError, appsOf, parseTemplate } from './inputs';
import { CliCommand, UsageError, declaredCommand } from '../../command';
import { patternSetOption } from '../../common-options';
import { EXIT, exitCodesFooter } from '../../exit-codes';
import { defineCommand } from '../../options';

/** The check command's arguments, declared once: the parser and `--help` are made from this. */
export const CHECK_DECLARATION = defineCommand({
  name: 'check',
  summary: 'Check CloudFormation templates (or a cdk.out) before deployment: every control\'s chain from trail to a subscriber',
  positionals: '<template.json | template.yaml | cdk.out>...',
  description: `Reads CloudFormation templates (JSON or YAML), or every stack of a CDK cloud assembly (cdk.out, nested
stacks and nested stages included), into one model and runs the rules docs/check.md lists: for every CIS
control, trail -> log group -> metric filter -> alarm -> SNS topic -> key -> subscription must hold. The
stacks of one assembly and environment are read together (a trail stack and a monitoring stack), as are
the template files named together. Verdicts: PASS, WARNING (a deviation you may intend, named), UNKNOWN
(the templates cannot decide it: an import, a parameter), FAIL (a CIS event cannot reach anyone). Works on
any template. Reads no AWS account.`,
  options: {
    'pattern-set': patternSetOption({ value: undefined, meaning: 'the text of every set counts', isDefault: true }),
    'log-group': {
      type: 'string',
      valueName: 'NAME',
      repeatable: true,
      description: 'a trail log group name to check when the templates hold no trail (the trail is in another stack or account)',
    },
    'json': { type: 'boolean', description: 'one JSON document instead of text' },
  },
  footer: exitCodesFooter([
    ['OK', 'every control PASSes (or WARNs)'],
    ['FAILED', 'a control FAILs or a cloud assembly cannot be read'],
    ['UNKNOWN', 'a control is UNKNOWN or there was nothing to check'],
    ['USAGE', 'usage error or unreadable template'],
  ], { note: `Rules: ${RULES.length} (docs/check.md).` }),
});

interface Checked {
  readonly app: App;
  readonly result?: TemplateCheckResult;
  readonly error?: string;
}

/** `cdk-cis-log-monitoring check`: the template adapter and the rules every verdict-giving command shares. */
export const CHECK_COMMAND: CliCommand = declaredCommand(CHECK_DECLARATION, async ({ options, positionals }, io) => {
  if (positionals.length === 0) throw new UsageError('give at least one template file or cdk.out directory');
  let apps: App[];
  try {
    apps = appsOf(positionals);
  } catch (e) {
    if (!(e instanceof AssemblyError)) throw e;
    io.stderr.write(`check: ${e.message}\n`);
    return EXIT.FAILED;
  }
  if (apps.length === 0) throw new UsageError(`no stack template in ${positionals.join(', ')}`);
  const checked: Checked[] = apps.map((app) => {
    const readable = app.templates.filter((t) => t.error === undefined);
    if (readable.length === 0) return { app, error: 'no readable template' };
    try {
      const result = checkTemplates(readable, {
        patternSet: options['pattern-set'], logGroupNames: options['log-group'], loadNested: nestedTemplateLoader(parseTemplate),
      });
      return { app, result };
    } catch (e) {
      if (e instanceof TemplateFormatError) return { app, error: e.message };
      throw e;
    }
  });
  const unreadable = apps.flatMap((a) => a.templates).filter((t) => t.error !== undefined);
  const judged = checked.filter((c) => c.result && !c.result.nothingToCheck);
  const verdict: Verdict = judged.length === 0 ? 'UNKNOWN' : worstVerdict(judged.map((c) => c.result!.verdict));
  const failedRead = unreadable.length > 0 || checked.some((c) => c.error !== undefined);
  if (options.json) {
    io.stdout.write(JSON.stringify({
      verdict,
      passed: (verdict === 'PASS' || verdict === 'WARNING') && !failedRead,
      templates: apps.flatMap((a) => a.templates.map((t) => ({ path: t.path, stackName: t.name, error: t.error }))),
      apps: checked.map((c) => ({
        app: c.app.label,
        error: c.error,
        ...(c.result ? {
          verdict: c.result.verdict,
          nothingToCheck: c.result.nothingToCheck,
          logGroups: c.result.logGroups,
          controls: c.result.controls.map(({ links, ...control }) => control),
          findings: c.result.findings,
          unseen: c.result.unseen,
          // The monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT), apart from the CIS ones: docs/check.md.
          integrity: c.result.integrity.map(({ links, ...control }) => control),
          integrityFindings: c.result.integrityFindings,
        } : {}),
      })),
    }, undefined, 2) + '\n');
  } else {
    for (const t of unreadable) io.stdout.write(`${t.path}: cannot read: ${t.error}\n`);
    for (const c of checked) io.stdout.write(describe(c));
    const count = (v: Verdict) => judged.reduce((n, c) => n + c.result!.controls.filter((x) => x.verdict === v).length, 0);
    const templates = apps.reduce((n, a) => n + a.templates.length, 0);
    const integrityFailing = judged.reduce((n, c) => n + c.result!.integrity.filter((x) => x.verdict === 'FAIL').length, 0);
    io.stdout.write(`\n${failedRead && verdict !== 'FAIL' ? 'FAIL' : verdict}: ${templates} template(s), ${count('FAIL')} failing, `
      + `${count('UNKNOWN')} unknown, ${count('WARNING')} warning control(s)${unreadable.length > 0 ? `, ${unreadable.length} unreadable` : ''}`
      + `${integrityFailing > 0 ? `, ${integrityFailing} failing monitoring-integrity control(s)` : ''}\n`);
  }
  if (verdict === 'FAIL') return EXIT.FAILED;
  if (unreadable.length > 0 || checked.some((c) => c.error !== undefined)) return EXIT.USAGE;
  return verdict === 'UNKNOWN' ? EXIT.UNKNOWN : EXIT.OK;
});

function describe(c: Checked): string {
  const stacks = c.app.templates.map((t) => t.name).join(', ');
  const name = `${c.app.label} [${stacks}]`;
  if (c.error) return `${name}: cannot check: ${c.error}\n`;
  const result = c.result as TemplateCheckResult;
  if (result.nothingToCheck) return `${name}: no trail, CIS metric filter or --log-group: nothing to check (not a PASS)\n`;
  const lines = [`${name}: ${result.verdict}; trail log group(s): ${result.logGroups.join(', ') || 'none'}`];
  const count = (v: Verdict) => result.controls.filter((x) => x.verdict === v).length;
  lines.push(`  controls: ${count('PASS')} PASS, ${count('WARNING')} WARNING, ${count('UNKNOWN')} UNKNOWN, ${count('FAIL')} FAIL of ${result.controls.length}`);
  for (const control of result.controls) {
    if (control.verdict !== 'PASS') lines.push(`  ${control.verdict} ${control.id} (${control.title})`);
  }
  for (const f of result.findings) {
    lines.push(`  ${f.verdict} ${f.rule} [${f.resources.join(', ')}]: ${f.message}`);
    if (f.verdict !== 'WARNING') lines.push(`    fix: ${f.fix}`);
  }
  for (const u of result.unseen) lines.push(`  not seen: ${u}`);
  lines.push(...integrityLines(result));
  return lines.join('\n') + '\n';
}

/** The monitoring-integrity rows (MON.TAMPER, MON.HEARTBEAT), after the CIS ones: each verdict, and the findings of those not PASS. */
export function integrityLines(result: Pick<TemplateCheckResult, 'integrity'>): string[] {
  if (result.integrity.length === 0) return [];
  const lines = [`  monitoring integrity: ${result.integrity.map((c) => `${c.id} ${c.verdict}`).join(', ')}`];
  for (const control of result.integrity) {
    if (control.verdict === 'PASS') continue;
    for (const f of control.findings) {
      lines.push(`  ${f.verdict} ${control.id} ${f.rule} [${f.resources.join(', ')}]: ${f.message}`);
      if (f.verdict !== 'WARNING') lines.push(`    fix: ${f.fix}`);
    }
  }
  return lines;
}
