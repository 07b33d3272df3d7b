import { AccountEvidence, ControlEvidence, EvidenceReport, HeartbeatEvidence, TamperEvidence, VerdictCounts } from './model';
import { escapeHtml, htmlPage } from '../../report/html-page';
import { Verdict } from '../rule';

/**
 * The evidence report as one self-contained HTML page (src/report/html-page.ts: no script, no load, a strict
 * Content-Security-Policy, every value escaped): what `audit --html FILE` writes and the self-audit function stores.
 * An auditor reads, top down: the summary counts; per account its verdict, the delivery heartbeat's last delivery
 * and alarm, the tamper events of the period, and per control the chain of links, the verdict, the deciding rule,
 * its message and its fix.
 */

const CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --code: #f6f8fa;
  --pass: #1a7f37; --warn: #9a6700; --unknown: #6e40c9; --fail: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --code: #151b23;
    --pass: #3fb950; --warn: #d29922; --unknown: #a371f7; --fail: #f85149; }
}
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; padding: 1.5rem; max-width: 1200px; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .25rem; padding-top: 1rem; border-top: 2px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .25rem; }
.muted, dt { color: var(--muted); }
dl.run { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0 1rem; }
dl.run dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .25rem 0; width: 100%; }
th, td { text-align: left; padding: .25rem .6rem .25rem 0; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.verdict { font-weight: 700; white-space: nowrap; }
.v-PASS { color: var(--pass); } .v-WARNING { color: var(--warn); } .v-UNKNOWN { color: var(--unknown); } .v-FAIL { color: var(--fail); }
ol.chain { margin: 0; padding-left: 1.1rem; }
ol.chain li.missing { color: var(--fail); }
ol.chain .kind { color: var(--muted); }
.problem { color: var(--unknown); }
.alert { color: var(--fail); font-weight: 600; }
p.fix { margin: .25rem 0 0; }
table.accounts th { white-space: nowrap; }
table.controls { table-layout: fixed; }
table.controls col.control { width: 19%; } table.controls col.verdict { width: 8%; } table.controls col.chain { width: 31%; }
table.controls col.rule { width: 14%; } table.controls col.message { width: 28%; }
details { margin: .25rem 0; }
ul.notes li { overflow-wrap: anywhere; }
`;

const VERDICTS: Verdict[] = ['PASS', 'WARNING', 'UNKNOWN', 'FAIL'];

function verdictSpan(v: Verdict): string {
  return `<span class="verdict v-${escapeHtml(v)}">${escapeHtml(v)}</span>`;
}

function countsText(c: VerdictCounts): string {
  return VERDICTS.map((v) => `${c[v]} ${v}`).join(', ');
}

/** A UTC time as `2026-12-07 05:10 UTC` (the ISO text when it is not a time). */
function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The report as one HTML page. */
export function renderEvidenceHtml(report: EvidenceReport): string {
  const title = 'CIS monitoring evidence';
  const run: [string, string][] = [
    ['Verdict', report.verdict],
    ['Produced by', report.producer],
    ['Generated', when(report.generatedAt)],
    ['Tamper period', `${when(report.since)} to ${when(report.until)}`],
    ['Accounts', `${report.accounts.length} (${countsText(report.accountCounts)})`],
    ['Controls', countsText(report.controlCounts)],
    ['Monitoring integrity', countsText(report.integrityCounts)],
  ];
  const summary = `<dl class="run">${run.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd${k === 'Verdict' ? ` class="verdict v-${escapeHtml(v)}"` : ''}>`
    + `${escapeHtml(v)}</dd>`).join('')}</dl>`;
  return htmlPage({
    title,
    css: CSS,
    body: [`<h1>${escapeHtml(title)}</h1>`, summary, accountTable(report), ...report.accounts.map(accountSection)],
  });
}

function anchor(i: number): string {
  return `account-${i + 1}`;
}

function accountTable(report: EvidenceReport): string {
  if (report.accounts.length === 0) return '<p class="problem">No account was audited.</p>';
  const rows = report.accounts.map((a, i) => {
    const last = a.heartbeat.map((h) => lastDeliveryText(h)).join('; ') || (a.heartbeatNote ?? '');
    const tamper = a.tamper.length === 0 ? '' : tamperCountText(a.tamper);
    return `<tr class="account-row" data-account="${escapeHtml(a.account)}"><td><a href="#${anchor(i)}">${escapeHtml(a.account)}</a>`
      + `${a.name ? ` <span class="muted">${escapeHtml(a.name)}</span>` : ''}</td><td>${escapeHtml(a.region)}</td><td>${verdictSpan(a.verdict)}</td>`
      + VERDICTS.map((v) => `<td class="n">${a.counts[v]}</td>`).join('')
      + `<td>${escapeHtml(last)}</td><td>${escapeHtml(tamper)}</td></tr>`;
  });
  return '<table class="accounts"><thead><tr><th>Account</th><th>Region</th><th>Verdict</th>'
    + VERDICTS.map((v) => `<th class="n">${v}</th>`).join('')
    + '<th>Last delivery</th><th>Tamper events</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table>`;
}

function tamperCountText(tamper: TamperEvidence[]): string {
  const listed = tamper.reduce((n, t) => n + t.events.length + t.more, 0);
  const failed = tamper.some((t) => t.errors.length > 0);
  const truncated = tamper.some((t) => t.truncated);
  return `${listed}${truncated ? '+' : ''}${failed ? ' (some searches could not be read)' : ''}`;
}

function lastDeliveryText(h: HeartbeatEvidence): string {
  if (h.deliveryError !== undefined) return `could not read: ${h.deliveryError}`;
  return h.lastDelivery !== undefined ? when(h.lastDelivery) : `none since ${when(h.since)}`;
}

function accountSection(a: AccountEvidence, i: number): string {
  const heading = `<h2>Account ${escapeHtml(a.account)}${a.name ? ` (${escapeHtml(a.name)})` : ''}: ${verdictSpan(a.verdict)}</h2>`;
  const facts = `<p class="muted">Region ${escapeHtml(a.region)}, pattern set ${escapeHtml(a.patternSet)}; controls: ${escapeHtml(countsText(a.counts))}.</p>`;
  if (a.error !== undefined) {
    return `<section class="account" id="${anchor(i)}" data-account="${escapeHtml(a.account)}" data-verdict="${escapeHtml(a.verdict)}">${heading}`
      + `<p class="problem account-error">Could not read the account: ${escapeHtml(a.error)}</p></section>`;
  }
  const notes = a.notes.length === 0 ? '' : `<h3>Not seen</h3><ul class="notes">${a.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
  return `<section class="account" id="${anchor(i)}" data-account="${escapeHtml(a.account)}" data-verdict="${escapeHtml(a.verdict)}">`
    + heading + facts + heartbeatPart(a) + tamperPart(a)
    + controlsPart('Controls', 'controls', a.controls)
    + controlsPart('Monitoring integrity (tamper control, delivery heartbeat)', 'integrity', a.integrity)
    + notes + '</section>';
}

function heartbeatPart(a: AccountEvidence): string {
  const head = '<h3>Delivery heartbeat</h3>';
  if (a.heartbeat.length === 0) return `${head}<p class="problem heartbeat-note">${escapeHtml(a.heartbeatNote ?? 'no trail log group')}</p>`;
  const rows = a.heartbeat.map((h) => {
    const delivery = h.deliveryError !== undefined
      ? `<span class="problem">could not read: ${escapeHtml(h.deliveryError)}</span>`
      : h.lastDelivery !== undefined
        ? `${escapeHtml(when(h.lastDelivery))} <span class="muted">(${escapeHtml(String(h.lastDeliveryEvents ?? 0))} events in that 5 minutes)</span>`
        : `<span class="alert">no event delivered since ${escapeHtml(when(h.since))}</span>`;
    const alarm = h.alarmError !== undefined
      ? `<span class="problem">could not read: ${escapeHtml(h.alarmError)}</span>`
      : h.alarms.length === 0
        ? '<span class="alert">no alarm on this group\'s IncomingLogEvents: a stopped delivery pages nobody</span>'
        : h.alarms.map((al) => `<code>${escapeHtml(al.name)}</code> ${escapeHtml(al.state)}${al.stateUpdated ? ` since ${escapeHtml(when(al.stateUpdated))}` : ''}`
          + `${al.actionsEnabled === false ? ' <span class="alert">(actions disabled)</span>' : ''}`).join('<br>');
    return `<tr class="heartbeat" data-log-group="${escapeHtml(h.logGroup)}"><td><code>${escapeHtml(h.logGroup)}</code></td>`
      + `<td class="last-delivery">${delivery}</td><td class="heartbeat-alarm">${alarm}</td></tr>`;
  });
  return `${head}<table class="heartbeat"><thead><tr><th>Trail log group</th><th>Last delivery (AWS/Logs IncomingLogEvents)</th>`
    + `<th>Heartbeat alarm</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function tamperPart(a: AccountEvidence): string {
  const head = '<h3>Tamper events</h3>';
  if (a.tamper.length === 0) return `${head}<p class="problem tamper-note">${escapeHtml(a.heartbeatNote ?? 'no trail log group')}</p>`;
  return head + a.tamper.map((t) => {
    const scope = `<p class="muted">Log group <code>${escapeHtml(t.logGroup)}</code>, ${escapeHtml(when(t.since))} to ${escapeHtml(when(t.until))}; `
      + `the tamper control's patterns, alarms ${t.alarmNamePrefix === '' ? 'of any name' : `named <code>${escapeHtml(t.alarmNamePrefix)}*</code>`}`
      + `${t.deliveryRoleName ? `, delivery role <code>${escapeHtml(t.deliveryRoleName)}</code>` : ', IAM events not searched (no delivery role known)'}.</p>`;
    const errors = t.errors.map((e) => `<p class="problem tamper-error">Could not read: ${escapeHtml(e)}</p>`).join('');
    const more = t.more > 0 || t.truncated
      ? `<p class="tamper-more">${t.more > 0 ? `${escapeHtml(String(t.more))} more matching event(s) not listed. ` : ''}`
        + `${t.truncated ? 'The page limit was reached: there may be more.' : ''}</p>`
      : '';
    if (t.events.length === 0) {
      return `<div class="tamper" data-log-group="${escapeHtml(t.logGroup)}">${scope}${errors}`
        + `${t.errors.length === 0 ? '<p class="tamper-none">No tamper event in the period.</p>' : ''}${more}</div>`;
    }
    const rows = t.events.map((e) => `<tr class="tamper-event"><td>${escapeHtml(when(e.time))}</td><td>${escapeHtml(e.who)}</td>`
      + `<td><code>${escapeHtml(e.eventName)}</code> <span class="muted">${escapeHtml(e.eventSource)}</span>`
      + `${e.errorCode ? ` <span class="muted">(failed: ${escapeHtml(e.errorCode)})</span>` : ''}</td>`
      + `<td>${escapeHtml(e.target ?? '')}</td><td>${escapeHtml(e.sourceIp ?? '')}</td><td><code>${escapeHtml(e.eventId ?? '')}</code></td></tr>`);
    return `<div class="tamper" data-log-group="${escapeHtml(t.logGroup)}">${scope}${errors}`
      + '<table class="tamper-events"><thead><tr><th>When</th><th>Who</th><th>What</th><th>Target</th><th>Source IP</th><th>Event ID</th></tr></thead>'
      + `<tbody>${rows.join('')}</tbody></table>${more}</div>`;
  }).join('');
}

function controlsPart(heading: string, kind: 'controls' | 'integrity', controls: ControlEvidence[]): string {
  const head = `<h3>${escapeHtml(heading)}</h3>`;
  if (controls.length === 0) return `${head}<p class="problem">No control was judged.</p>`;
  const rows = controls.map((c) => {
    const chain = `<ol class="chain">${c.chain.map((l) => (l.label === undefined
      ? `<li class="missing" data-kind="${escapeHtml(l.kind)}"><span class="kind">${escapeHtml(l.kind)}:</span> none</li>`
      : `<li data-kind="${escapeHtml(l.kind)}"><span class="kind">${escapeHtml(l.kind)}:</span> ${escapeHtml(l.label)}</li>`)).join('')}</ol>`;
    const rule = c.rule === undefined ? '' : `<code class="rule">${escapeHtml(c.rule)}</code>`;
    // PASS: the model's message is the chain, which the chain column shows.
    const text = c.rule === undefined ? 'Every rule holds on this chain.' : c.message;
    const fix = c.fix === undefined ? '' : `<p class="fix"><strong>Fix:</strong> <span class="fix-text">${escapeHtml(c.fix)}</span></p>`;
    const others = c.findings.slice(c.rule === undefined ? 0 : 1);
    const more = others.length === 0 ? '' : `<details><summary>${others.length} more finding(s)</summary><ul>${others
      .map((f) => `<li>${verdictSpan(f.verdict)} <code>${escapeHtml(f.rule)}</code>: ${escapeHtml(f.message)} <em>Fix:</em> ${escapeHtml(f.fix)}</li>`)
      .join('')}</ul></details>`;
    return `<tr class="control" data-id="${escapeHtml(c.id)}" data-key="${escapeHtml(c.key)}" data-verdict="${escapeHtml(c.verdict)}">`
      + `<td><strong>${escapeHtml(c.id)}</strong> ${escapeHtml(c.title)}</td><td class="control-verdict">${verdictSpan(c.verdict)}</td>`
      + `<td>${chain}</td><td>${rule}</td><td><span class="message">${escapeHtml(text)}</span>${fix}${more}</td></tr>`;
  });
  return `${head}<table class="controls ${kind}"><colgroup><col class="control"><col class="verdict"><col class="chain"><col class="rule">`
    + '<col class="message"></colgroup><thead><tr><th>Control</th><th>Verdict</th><th>Chain</th><th>Rule</th><th>Message and fix</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table>`;
}
