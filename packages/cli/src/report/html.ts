import { createHash } from 'crypto';
import * as fs from 'fs';
import { ControlTally, principalOf, ReplayReport, top, TOP } from './report';

/**
 * `replay --html FILE` and `hunt --html FILE`: the report as one self-contained HTML page. Per control: the matches
 * per UTC day as an inline SVG bar chart, the top principals and source IPs, and the sample events.
 *
 * The page loads nothing: no script, no stylesheet, font or image from anywhere; its one <style> element is allowed
 * by hash in a Content-Security-Policy that forbids everything else (`default-src 'none'`), so it reads the same from
 * file:// as from a server. Every text that comes from the input (event fields, principal ARNs, IPs, file names,
 * eventIDs) goes through `escapeHtml`; the policy is a second wall, not the first.
 */

/** What the page says about the run besides the report. */
export interface HtmlReportContext {
  /** The command that made the report (`replay`, `hunt`). */
  readonly command: string;
  /** The paths given on the command line. */
  readonly inputs: readonly string[];
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ENTITIES[c]);
}

const CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --bar: #0969da; --zero: #eaeef2; --bg: #ffffff; --code: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bar: #4493f8; --zero: #262c36; --bg: #0d1117; --code: #151b23; }
}
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 1100px; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .25rem; padding-top: 1rem; border-top: 1px solid var(--line); }
h3 { font-size: .95rem; margin: 1rem 0 .25rem; }
.muted, dt { color: var(--muted); }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0 1rem; }
dl.run dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .25rem 0; }
th, td { text-align: left; padding: .2rem .6rem .2rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.name { overflow-wrap: anywhere; max-width: 40rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: var(--code); padding: .5rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
code.pattern { display: block; background: var(--code); padding: .4rem; overflow-wrap: anywhere; }
.tops { display: flex; flex-wrap: wrap; gap: 2rem; }
svg.daily { width: 100%; height: auto; max-width: 960px; }
svg .bar { fill: var(--bar); }
svg .axis { stroke: var(--line); }
svg text { fill: var(--muted); font-size: 11px; }
svg.share .bar { fill: var(--bar); }
svg.share .track { fill: var(--zero); }
ul.problems li { overflow-wrap: anywhere; }
table.samples { width: 100%; table-layout: fixed; }
table.samples td { overflow-wrap: anywhere; }
table.samples col.id { width: 15%; } table.samples col.time { width: 12%; } table.samples col.source { width: 13%; }
table.samples col.name { width: 12%; } table.samples col.error { width: 10%; } table.samples col.principal { width: 22%; }
table.samples col.ip { width: 10%; } table.samples col.event { width: 6%; }
details pre { margin: .25rem 0; }
`;

/** The report as one HTML page. */
export function reportToHtml(report: ReplayReport, context: HtmlReportContext): string {
  const styleHash = createHash('sha256').update(CSS).digest('base64');
  const policy = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;
  const title = `${context.command} report: ${report.patternSet}`;
  const days = dayAxis(report.controls);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    runSummary(report, context),
    notes(report),
    controlTable(report),
    ...report.controls.map((c, i) => controlSection(c, i, days)),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.filter(s => s !== '').join('\n')}
</body>
</html>
`;
}

function runSummary(report: ReplayReport, context: HtmlReportContext): string {
  const by = report.evaluatedBy === 'engine' ? 'the engine (replay)' : report.evaluatedBy === 'duckdb' ? 'SQL on DuckDB' : 'SQL on Amazon Athena';
  const rows: [string, string][] = [
    ['Pattern set', `${report.patternSet}${report.ssoAwareMfaFilter ? ' (SSO-aware MFA filter)' : ''}, ${report.controls.length} controls`],
    ['Evaluated by', by],
  ];
  if (context.inputs.length > 0) rows.push(['Input', context.inputs.join(', ')]);
  rows.push(report.evaluatedBy === 'athena'
    ? ['Scanned', `${formatBytes(report.bytesScanned ?? 0)}, ${count(report.events)} events`]
    : ['Read', `${report.filesRead} of ${report.files} files (${formatBytes(report.bytes)}), ${count(report.events)} events`
      + `${report.invalidRecords > 0 ? `, ${count(report.invalidRecords)} invalid records` : ''}`]);
  if (report.since !== undefined || report.until !== undefined) {
    rows.push(['Window', `${report.since ?? '(start)'}Z to ${report.until ?? '(end)'}Z; ${count(report.outsideWindow)} events outside it`]);
  }
  rows.push(['Took', `${report.seconds.toFixed(1)} s`]);
  return `<dl class="run">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** Refused controls, unreadable files and skipped paths: what the counts do not cover. */
function notes(report: ReplayReport): string {
  const parts: string[] = [];
  const list = (heading: string, items: [string, string][]) => {
    if (items.length === 0) return;
    parts.push(`<h3>${escapeHtml(heading)}</h3><ul class="problems">${items
      .map(([what, why]) => `<li><code>${escapeHtml(what)}</code>: ${escapeHtml(why)}</li>`).join('')}</ul>`);
  };
  list(`${report.refused.length} control(s) not run (the SQL dialect cannot express them exactly)`, report.refused.map(r => [r.key, r.reason]));
  list(`${report.problems.length} file(s) could not be read completely`, report.problems.map(p => [p.path, p.error]));
  list(`${report.skipped.length} path(s) skipped`, report.skipped.map(s => [s.path, s.reason]));
  return parts.join('\n');
}

function controlTable(report: ReplayReport): string {
  const rows = report.controls.map((c, i) => `<tr><td><a href="#${anchor(i)}">${escapeHtml(c.id)}</a></td>`
    + `<td>${escapeHtml(c.title)}</td><td class="n">${count(c.matches)}</td><td class="n">${c.byDay.size}</td></tr>`);
  return '<table class="controls"><thead><tr><th>Control</th><th>Title</th><th class="n">Matches</th><th class="n">Days</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table>`;
}

function anchor(index: number): string {
  return `control-${index + 1}`;
}

function controlSection(c: ControlTally, index: number, days: DayAxis): string {
  const head = `<section class="control" id="${anchor(index)}" data-key="${escapeHtml(c.key)}" data-matches="${c.matches}">`
    + `<h2>${escapeHtml(c.id)} ${escapeHtml(c.title)}</h2>`
    + `<p class="muted"><code>${escapeHtml(c.key)}</code>, metric <code>${escapeHtml(c.metricName)}</code>: `
    + `<strong>${count(c.matches)}</strong> match${c.matches === 1 ? '' : 'es'}</p>`
    + `<code class="pattern">${escapeHtml(c.pattern)}</code>`;
  if (c.matches === 0) return `${head}</section>`;
  return [
    head,
    '<h3>Matches per day (UTC)</h3>',
    dailyChart(c, days),
    '<div class="tops">',
    topTable('Top principals', 'principals', c.byPrincipal, c.matches),
    topTable('Top source IPs', 'source-ips', c.bySourceIp, c.matches),
    '</div>',
    sampleTable(c),
    '</section>',
  ].join('\n');
}

/** The days every chart spans: the first to the last day with matches in any control, plus `unknown` at the end. */
interface DayAxis {
  readonly days: string[];
  readonly unknown: boolean;
}

const DAY_MS = 24 * 3600 * 1000;

function dayAxis(controls: readonly ControlTally[]): DayAxis {
  const known = new Set<string>();
  let unknown = false;
  for (const c of controls) {
    for (const day of c.byDay.keys()) {
      if (/^\d{4}-\d{2}-\d{2}$/.test(day)) known.add(day);
      else unknown = true;
    }
  }
  const sorted = [...known].sort();
  const days: string[] = [];
  if (sorted.length > 0) {
    const last = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`);
    for (let t = Date.parse(`${sorted[0]}T00:00:00Z`); t <= last; t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  }
  return { days, unknown };
}

/**
 * One bar per day with matches (class `bar`, `data-day`, `data-count`, a <title> for the tooltip), its height
 * proportional to the count; days without matches are gaps on the same time axis for every control.
 */
function dailyChart(c: ControlTally, axis: DayAxis): string {
  const width = 960;
  const height = 180;
  const left = 44;
  const right = 8;
  const above = 10;
  const bottom = 28;
  const slots = [...axis.days, ...(axis.unknown ? ['unknown'] : [])];
  const plotWidth = width - left - right;
  const plotHeight = height - above - bottom;
  const slot = plotWidth / Math.max(slots.length, 1);
  const barWidth = Math.min(Math.max(slot * 0.8, 1), 48);
  const max = Math.max(...c.byDay.values());
  const parts: string[] = [];
  parts.push(`<line class="axis" x1="${left}" y1="${above + plotHeight}" x2="${width - right}" y2="${above + plotHeight}"/>`);
  parts.push(`<line class="axis" x1="${left}" y1="${above}" x2="${left}" y2="${above + plotHeight}"/>`);
  parts.push(`<text x="${left - 4}" y="${above + 4}" text-anchor="end">${max}</text>`);
  parts.push(`<text x="${left - 4}" y="${above + plotHeight}" text-anchor="end">0</text>`);
  slots.forEach((day, i) => {
    const n = c.byDay.get(day);
    if (n === undefined || n === 0) return;
    const h = (n / max) * plotHeight;
    const x = left + i * slot + (slot - barWidth) / 2;
    const label = day === 'unknown' ? 'no valid eventTime' : day;
    parts.push(`<rect class="bar" data-day="${escapeHtml(day)}" data-count="${n}" x="${num(x)}" y="${num(above + plotHeight - h)}" `
      + `width="${num(barWidth)}" height="${num(h)}"><title>${escapeHtml(label)}: ${n} match${n === 1 ? '' : 'es'}</title></rect>`);
  });
  // Day labels: the first and last day, and a few between so that they do not overlap.
  const labelEvery = Math.max(1, Math.ceil(slots.length / 8));
  slots.forEach((day, i) => {
    if (i % labelEvery !== 0 && i !== slots.length - 1) return;
    if (i !== slots.length - 1 && slots.length - 1 - i < labelEvery / 2) return;
    const x = left + i * slot + slot / 2;
    parts.push(`<text x="${num(x)}" y="${height - 10}" text-anchor="middle">${escapeHtml(day === 'unknown' ? 'no time' : day)}</text>`);
  });
  return `<svg class="daily" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" `
    + `aria-label="${escapeHtml(`${c.id} matches per day`)}">${parts.join('')}</svg>`;
}

function topTable(heading: string, kind: string, counts: ReadonlyMap<string, number>, matches: number): string {
  const rows = top(counts as Map<string, number>).map(({ name, matches: n }) => {
    const share = matches > 0 ? n / matches : 0;
    return `<tr><td class="name">${escapeHtml(name)}</td><td class="n">${count(n)}</td>`
      + '<td><svg class="share" width="80" height="10" viewBox="0 0 80 10" aria-hidden="true"><rect class="track" width="80" height="10"/>'
      + `<rect class="bar" width="${num(80 * share)}" height="10"/></svg></td></tr>`;
  });
  const more = counts.size > TOP ? `<p class="muted">and ${count(counts.size - TOP)} more</p>` : '';
  return `<div class="top ${kind}"><h3>${escapeHtml(heading)}</h3>`
    + (rows.length === 0 ? '<p class="muted">not recorded</p>'
      : `<table><thead><tr><th>${kind === 'principals' ? 'Principal' : 'Source IP'}</th><th class="n">Matches</th><th></th></tr></thead>`
      + `<tbody>${rows.join('')}</tbody></table>${more}`)
    + '</div>';
}

function sampleTable(c: ControlTally): string {
  if (c.samples.length === 0) return '';
  const rows = c.samples.map((id, i) => {
    const event = c.sampleEvents[i] as Record<string, unknown> | undefined;
    const cells = [
      id,
      field(event?.eventTime),
      field(event?.eventSource),
      field(event?.eventName),
      field(event?.errorCode),
      event === undefined ? '' : principalOf(event),
      field(event?.sourceIPAddress),
    ];
    const json = event === undefined ? '' : `<details><summary>event</summary><pre>${escapeHtml(JSON.stringify(event, null, 2))}</pre></details>`;
    return `<tr class="sample">${cells.map((t, k) => `<td${k === 0 ? ' class="event-id"' : ''}>${escapeHtml(t)}</td>`).join('')}<td>${json}</td></tr>`;
  });
  const cols = ['id', 'time', 'source', 'name', 'error', 'principal', 'ip', 'event'].map(name => `<col class="${name}">`).join('');
  return `<h3>Sample events</h3><table class="samples"><colgroup>${cols}</colgroup><thead><tr><th>eventID</th><th>eventTime</th><th>eventSource</th>`
    + `<th>eventName</th><th>errorCode</th><th>Principal</th><th>Source IP</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A field of an event as text: strings as they are, other JSON values as JSON, missing as empty. */
function field(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function num(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Writes the page to `file`; on failure says why on stderr and returns false. */
export function writeHtmlReport(file: string, report: ReplayReport, context: HtmlReportContext, stderr: NodeJS.WritableStream): boolean {
  try {
    fs.writeFileSync(file, reportToHtml(report, context));
    return true;
  } catch (e) {
    stderr.write(`${context.command}: cannot write --html ${file}: ${(e as Error).message}\n`);
    return false;
  }
}
