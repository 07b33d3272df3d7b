/**
 * The evidence report's HTML page (issue 20 §4), as `audit --html` writes it and the self-audit stores it: rendered
 * for a healthy account, a broken one and one that could not be read, opened in Debian's Chromium (driven by
 * playwright-core, as packages/cli/test/report-html.test.ts does) from file://, with every network request recorded
 * and refused; what a person sees is read back from the DOM. Hostile names (a metric filter, a principal, an alarm
 * named with markup) must stay text.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
// playwright-core is a development dependency of the workspace root, where the tests run.
// eslint-disable-next-line import/no-extraneous-dependencies
import { chromium } from 'playwright-core';
import {
  ACCOUNT, LOG_GROUP, PREFIX, RecordedApi, TAMPER, UNTIL, broken, filterResponse, healthy, heartbeatAlarm, metricDataResponse, record,
} from './fixtures';
import {
  AccountVerdictInput, EvidenceReport, collectAccountEvidence, evidencePeriod, evidenceReport, renderEvidenceHtml, unreadableAccountEvidence,
} from '../../../src/verdicts/evidence';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

// Every payload sets window.__pwned (or opens a dialog) if it ever runs.
const IMG_FILTER = '<img src=x onerror="window.__pwned = \'filter\'; alert(1)">';
const SCRIPT_WHO = '<script>window.__pwned = "who"</script>';
const SVG_ALARM = `${PREFIX}"><svg onload="window.__pwned = 'alarm'"></svg>`;
const OTHER_ACCOUNT = '210987654321';
const DENIED = 'AccessDenied: User is not authorized to perform: sts:AssumeRole <b>on</b> OrganizationAccountAccessRole';

/** The healthy account, with the root-usage filter's name hostile (it flows from the snapshot through the runner). */
function hostileHealthy(): AccountVerdictInput {
  return healthy(ACCOUNT, (snapshot) => ({
    ...snapshot,
    metricFilters: snapshot.metricFilters.map((f) => (/^CisRootAccountUsage/.test(f.origin.label) ? { ...f, origin: { ...f.origin, label: IMG_FILTER } } : f)),
  }));
}

async function report(): Promise<EvidenceReport> {
  const good = new RecordedApi();
  good.logPages = [filterResponse([record({ eventID: 'evt-hostile', userIdentity: { type: 'IAMUser', arn: SCRIPT_WHO }, requestParameters: { alarmNames: [SVG_ALARM] } })])];
  const bad = new RecordedApi();
  bad.metricPages = [metricDataResponse([])];
  bad.alarmPages = [{ MetricAlarms: [heartbeatAlarm(`${PREFIX}delivery_heartbeat_alarm`, 'ALARM')] }];
  bad.logPages = [filterResponse([TAMPER.deleteFilter])];
  const options = { until: UNTIL, heartbeatLookbackHours: 72 };
  const accounts = [
    await collectAccountEvidence(hostileHealthy(), good, options),
    await collectAccountEvidence(broken('111122223333'), bad, options),
    unreadableAccountEvidence(OTHER_ACCOUNT, 'us-east-1', 'any', DENIED, 'sandbox'),
  ];
  return evidenceReport(accounts, { producer: 'cdk-cis-log-monitoring audit --html', generatedAt: UNTIL, ...evidencePeriod({ until: UNTIL }) });
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-html-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the page as text', () => {
  test('no input text reaches the page unescaped; the policy forbids scripts and every load; nothing addresses the network', async () => {
    const html = renderEvidenceHtml(await report());
    for (const payload of [IMG_FILTER, SCRIPT_WHO, SVG_ALARM, '<img', '<svg', '<b>on', 'onerror="', 'onload="']) expect(html).not.toContain(payload);
    expect(html.match(/<script/gi)).toBeNull();
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[^"]+&#39;; img-src &#39;none&#39;; script-src &#39;none&#39;/);
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\ssrc\s*=/i.test(t))).toEqual([]);
    expect(tags.flatMap((t) => [...t.matchAll(/\shref="([^"]*)"/gi)].map((m) => m[1])).filter((h) => !h.startsWith('#'))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import|https?:/i);
  });
});

(HAVE_CHROMIUM ? describe : describe.skip)(
  HAVE_CHROMIUM ? 'the page in headless Chromium' : `the page in headless Chromium: SKIPPED, ${CHROMIUM} is absent (apt-get install -y chromium)`,
  () => {
    test('what a person sees: verdicts per control, the rule, the fix, the last delivery, the tamper events; hostile names inert; no request', async () => {
      const evidence = await report();
      const htmlFile = path.join(dir, 'evidence.html');
      fs.writeFileSync(htmlFile, renderEvidenceHtml(evidence));
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-html-chromium-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 },
      });
      try {
        const pageUrl = pathToFileURL(htmlFile).href;
        const requests: string[] = [];
        const refused: string[] = [];
        const messages: string[] = [];
        const dialogs: string[] = [];
        await context.route('**/*', (route) => {
          const url = route.request().url();
          if (url === pageUrl) return route.continue();
          refused.push(url);
          return route.abort();
        });
        const page = await context.newPage();
        page.setDefaultTimeout(5_000);
        page.on('request', (r) => requests.push(r.url()));
        page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
        page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
        page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
        await page.goto(pageUrl, { waitUntil: 'load' });

        // Nothing but the page was requested, nothing tried to run (a blocked load would log a CSP violation).
        expect(requests).toEqual([pageUrl]);
        expect(refused).toEqual([]);
        expect(messages).toEqual([]);
        expect(dialogs).toEqual([]);
        expect(await page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
        expect(await page.locator('script, img, svg, b').count()).toBe(0);
        expect(await page.locator('[onerror], [onload]').count()).toBe(0);

        // The summary: the worst verdict and the counts.
        const run = await page.locator('dl.run').innerText();
        expect(run).toMatch(/Verdict\s+FAIL/);
        expect(run).toMatch(/Accounts\s+3 \(1 PASS, 0 WARNING, 1 UNKNOWN, 1 FAIL\)/);
        expect(run).toMatch(/Controls\s+29 PASS, 0 WARNING, 0 UNKNOWN, 1 FAIL/);
        expect(run).toMatch(/Monitoring integrity\s+4 PASS, 0 WARNING, 0 UNKNOWN, 0 FAIL/);
        expect(run).toMatch(/Tamper period\s+2026-12-06 06:00 UTC to 2026-12-07 06:00 UTC/);

        // Per account and control: the verdict, as drawn.
        const verdicts = await page.$$eval('section.account', (sections) => sections.map((s) => ({
          account: s.getAttribute('data-account'),
          heading: s.querySelector('h2')?.textContent,
          controls: [...s.querySelectorAll('tr.control')].map((tr) => `${tr.getAttribute('data-id')} ${tr.querySelector('.control-verdict')?.textContent}`),
        })));
        expect(verdicts.map((v) => v.account)).toEqual([ACCOUNT, '111122223333', OTHER_ACCOUNT]);
        expect(verdicts[0].heading).toBe(`Account ${ACCOUNT}: PASS`);
        expect(verdicts[0].controls).toEqual([...Array.from({ length: 15 }, (_, i) => `4.${i + 1} PASS`), 'MON.TAMPER PASS', 'MON.HEARTBEAT PASS']);
        expect(await page.locator(`section[data-account="${ACCOUNT}"] table.integrity tr.control`).count()).toBe(2);
        expect(verdicts[1].heading).toBe('Account 111122223333: FAIL');
        expect(verdicts[1].controls.filter((c) => !c.endsWith('PASS'))).toEqual(['4.3 FAIL']);
        expect(verdicts[2].controls).toEqual([]);

        // The broken control: the rule, the message, the fix, and where the chain stops.
        const badRoot = page.locator('section[data-account="111122223333"] tr.control[data-id="4.3"]');
        const broke = evidence.accounts[1].controls.find((c) => c.id === '4.3')!;
        expect(await badRoot.locator('code.rule').innerText()).toBe('CIS-MON-FILTER-PRESENT');
        expect(await badRoot.locator('.message').innerText()).toBe(broke.message);
        expect(await badRoot.locator('.fix-text').innerText()).toBe(broke.fix);
        expect(await badRoot.locator('ol.chain li.missing').allInnerTexts()).toEqual(['metric filter: none', 'alarm: none', 'topic: none', 'subscriptions: none']);

        // The hostile filter name is the healthy account's root-usage chain link, as text.
        const goodRoot = page.locator(`section[data-account="${ACCOUNT}"] tr.control[data-id="4.3"]`);
        expect(await goodRoot.locator('ol.chain li[data-kind="metric filter"]').innerText()).toBe(`metric filter: ${IMG_FILTER}`);
        expect(await goodRoot.locator('code.rule').count()).toBe(0);
        expect(await goodRoot.locator('.message').innerText()).toBe('Every rule holds on this chain.');

        // The heartbeat: last delivery and the alarm, per account.
        const goodHeartbeat = page.locator(`section[data-account="${ACCOUNT}"] tr.heartbeat[data-log-group="${LOG_GROUP}"]`);
        expect(await goodHeartbeat.locator('.last-delivery').innerText()).toBe('2026-12-07 05:50 UTC (212 events in that 5 minutes)');
        expect(await goodHeartbeat.locator('.heartbeat-alarm').innerText()).toBe(`${PREFIX}delivery_heartbeat_alarm OK since 2026-12-06 22:15 UTC`);
        const badHeartbeat = page.locator('section[data-account="111122223333"] tr.heartbeat');
        expect(await badHeartbeat.locator('.last-delivery').innerText()).toBe('no event delivered since 2026-12-04 06:00 UTC');
        expect(await badHeartbeat.locator('.heartbeat-alarm').innerText()).toMatch(/delivery_heartbeat_alarm ALARM since/);

        // The tamper events: who, what, which resource, when.
        const hostileRow = await page.locator(`section[data-account="${ACCOUNT}"] tr.tamper-event`).allInnerTexts();
        expect(hostileRow).toHaveLength(1);
        expect(hostileRow[0].split('\t')).toEqual(['2026-12-07 04:12 UTC', SCRIPT_WHO, 'DeleteAlarms monitoring.amazonaws.com', `alarmNames: ${SVG_ALARM}`,
          '203.0.113.9', 'evt-hostile']);
        const badRows = await page.locator('section[data-account="111122223333"] tr.tamper-event').allInnerTexts();
        expect(badRows.map((r) => r.split('\t'))).toEqual([['2026-12-07 03:00 UTC', `arn:aws:iam::${ACCOUNT}:user/Mallory`,
          'DeleteMetricFilter logs.amazonaws.com', `logGroupName: ${LOG_GROUP}; filterName: root_usage_metric`, '203.0.113.9', 'evt-filter']]);

        // The account that could not be read says why, as text.
        expect(await page.locator(`section[data-account="${OTHER_ACCOUNT}"] .account-error`).innerText()).toBe(`Could not read the account: ${DENIED}`);
        expect(await page.locator(`table.accounts tr.account-row[data-account="${OTHER_ACCOUNT}"]`).innerText()).toContain(`not read: ${DENIED}`);

        const shot = path.join(dir, 'evidence.png');
        await page.screenshot({ path: shot, fullPage: true });
        expect(fs.readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      } finally {
        await context.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
