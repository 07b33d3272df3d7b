import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as zlib from 'zlib';
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
// playwright-core is a development dependency of the workspace root, where the tests run.
// eslint-disable-next-line import/no-extraneous-dependencies
import { chromium, Page } from 'playwright-core';
import { runCli } from './support/run-cli';
import { escapeHtml, reportToHtml } from '../src/report/html';
import { emptyReport } from '../src/report/report';

// `replay --html FILE` and `hunt --html FILE`: the page is opened in Debian's Chromium (driven by playwright-core)
// from file://, with every network request recorded and refused, and what it draws is read back from the DOM.

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const run = (argv: string[]) => runCli(argv);

// Every payload sets window.__pwned (or calls alert) if it ever runs.
const SCRIPT_ID = '<script>window.__pwned = "eventID"; alert(1)</script>';
const IMG_ARN = '"><img src=x onerror="window.__pwned = \'arn\'; alert(2)">';
const SVG_IP = '<svg onload="window.__pwned = \'ip\'"></svg>';
const TITLE_NAME = '</title></rect></svg><script>window.__pwned = "eventName"</script>';
const BAD_FILE = 'x"><img src=y onerror="window.__pwned=\'file\'">.json';

let seq = 0;
function event(day: string, principal: string, ip: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', arn: principal, accountId: '111122223333' },
    eventTime: `${day}T${String(seq % 24).padStart(2, '0')}:00:00Z`,
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'eu-west-1',
    sourceIPAddress: ip,
    errorCode: 'Client.UnauthorizedOperation',
    eventID: `evt-${seq}`,
    recipientAccountId: '111122223333',
    ...extra,
  };
}

const MALLORY = 'arn:aws:iam::111122223333:user/Mallory';
const BOB = 'arn:aws:iam::111122223333:user/Bob';
/**
 * 4.1 (unauthorized API calls): 5 matches on 2024-03-01, 2 on 2024-03-03, 1 on 2024-03-06 (the malicious one first);
 * Mallory 4, Bob 3, the malicious ARN 1; source IPs 203.0.113.9 x5, 198.51.100.20 x2, the malicious one x1.
 * 4.14 (VPC changes): 1 match on 2024-03-03. Plus benign events that match nothing.
 */
function corpus(): Record<string, unknown>[] {
  return [
    event('2024-03-06', IMG_ARN, SVG_IP, { eventID: SCRIPT_ID, eventName: TITLE_NAME }),
    event('2024-03-01', MALLORY, '203.0.113.9'),
    event('2024-03-01', MALLORY, '203.0.113.9'),
    event('2024-03-01', MALLORY, '203.0.113.9'),
    event('2024-03-01', MALLORY, '203.0.113.9'),
    event('2024-03-01', BOB, '203.0.113.9'),
    event('2024-03-03', BOB, '198.51.100.20'),
    event('2024-03-03', BOB, '198.51.100.20'),
    event('2024-03-03', BOB, '198.51.100.20', { errorCode: undefined, eventName: 'CreateVpc', eventID: 'vpc-1' }),
    event('2024-03-02', BOB, '198.51.100.20', { errorCode: undefined, eventID: 'benign-1' }),
    event('2024-03-04', BOB, '198.51.100.20', { errorCode: undefined, eventID: 'benign-2' }),
  ];
}

let dir: string;
let corpusFile: string;
let badFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-'));
  corpusFile = path.join(dir, 'trail.json.gz');
  fs.writeFileSync(corpusFile, zlib.gzipSync(JSON.stringify({ Records: corpus() })));
  // A file name is user input too: this one is unreadable, so the page lists it with the problems.
  badFile = path.join(dir, BAD_FILE);
  fs.writeFileSync(badFile, 'not JSON');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the HTML page as text', () => {
  test('escapeHtml escapes the five characters that end text or an attribute', () => {
    expect(escapeHtml('<a href="x" title=\'y\'>&amp;</a>')).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  test('no user-controlled text reaches the page unescaped; the policy forbids scripts and every load', () => {
    const report = emptyReport('engine', CisPatternSet.RECOMMENDED, false, {});
    const c = report.controls[0];
    c.matches = 1;
    c.byDay.set('2024-03-06', 1);
    c.byPrincipal.set(IMG_ARN, 1);
    c.bySourceIp.set(SVG_IP, 1);
    c.samples.push(SCRIPT_ID);
    c.sampleEvents.push({ eventID: SCRIPT_ID, eventName: TITLE_NAME, userIdentity: { arn: IMG_ARN }, sourceIPAddress: SVG_IP });
    report.problems.push({ path: BAD_FILE, error: 'not JSON' });
    const html = reportToHtml(report, { command: 'replay', inputs: [BAD_FILE] });
    for (const payload of [SCRIPT_ID, IMG_ARN, SVG_IP, TITLE_NAME, BAD_FILE, '<img', '<svg onload', 'onerror="']) {
      expect(html).not.toContain(payload);
    }
    expect(html).toContain(escapeHtml(IMG_ARN));
    expect(html.match(/<script/gi)).toBeNull();
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[^"]+&#39;; img-src &#39;none&#39;; script-src &#39;none&#39;/);
    // No address the browser could fetch: no src attribute, links only within the page, no URL in the CSS and no
    // http(s) address anywhere (the SVG namespace is a name, not a load).
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter(t => /\ssrc\s*=/i.test(t))).toEqual([]);
    expect(tags.flatMap(t => [...t.matchAll(/\shref="([^"]*)"/gi)].map(m => m[1])).filter(h => !h.startsWith('#'))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html.split('xmlns="http://www.w3.org/2000/svg"').join('')).not.toMatch(/https?:/i);
  });
});

describe('--html options', () => {
  test('a missing directory, a directory, or --html with hunt --sql are usage errors before anything runs', async () => {
    const missing = await run(['replay', corpusFile, '--html', path.join(dir, 'no-such-dir', 'r.html')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    const isDir = await run(['hunt', corpusFile, '--html', dir]);
    expect(isDir.code).toBe(1);
    expect(isDir.stderr).toContain('is a directory');
    const sql = await run(['hunt', '--sql', '--html', path.join(dir, 'sql.html')]);
    expect(sql.code).toBe(1);
    expect(sql.stderr).toContain('--html writes the report of a run');
    expect(fs.existsSync(path.join(dir, 'sql.html'))).toBe(false);
  });

  test('replay --help and hunt --help list --html FILE', async () => {
    expect((await run(['replay', '--help'])).stdout).toMatch(/--html FILE +also write the report as one self-contained HTML page/);
    expect((await run(['hunt', '--help'])).stdout).toMatch(/--html FILE +also write the report as one self-contained HTML page/);
  });
});

interface Drawn {
  readonly key: string;
  readonly matches: number;
  readonly bars: { day: string; count: number; height: number; attrHeight: number }[];
  readonly principals: { name: string; matches: number }[];
  readonly sourceIps: { name: string; matches: number }[];
  readonly sampleIds: string[];
}

/** What the page draws, read from the rendered DOM. */
async function drawn(page: Page): Promise<Drawn[]> {
  return page.$$eval('section.control', sections => sections.map(s => {
    const rows = (selector: string) => [...s.querySelectorAll(`${selector} tbody tr`)].map(tr => {
      const cells = tr.querySelectorAll('td');
      return { name: cells[0].textContent ?? '', matches: Number((cells[1].textContent ?? '').replace(/,/g, '')) };
    });
    return {
      key: s.getAttribute('data-key') ?? '',
      matches: Number(s.getAttribute('data-matches')),
      bars: [...s.querySelectorAll('svg.daily rect.bar')].map(r => ({
        day: r.getAttribute('data-day') ?? '',
        count: Number(r.getAttribute('data-count')),
        height: r.getBoundingClientRect().height,
        attrHeight: Number(r.getAttribute('height')),
      })),
      principals: rows('.top.principals'),
      sourceIps: rows('.top.source-ips'),
      sampleIds: [...s.querySelectorAll('table.samples td.event-id')].map(td => td.textContent ?? ''),
    };
  }));
}

(HAVE_CHROMIUM ? describe : describe.skip)(
  HAVE_CHROMIUM ? 'the HTML page in headless Chromium' : `the HTML page in headless Chromium: SKIPPED, ${CHROMIUM} is absent (apt-get install -y chromium)`,
  () => {
    const cases: [string, string[]][] = [
      ['replay', ['replay']],
      ['hunt (DuckDB)', ['hunt']],
    ];
    test.each(cases)('%s --html: what is drawn, from file://, without a network request or a script from the events', async (_name, command) => {
      const htmlFile = path.join(dir, `${command[0]}.html`);
      const result = await run([...command, corpusFile, badFile, '--json', '--samples', '3', '--html', htmlFile]);
      expect(result.code).toBe(2); // the bad file
      const report = JSON.parse(result.stdout);
      const unauthorized = report.controls.find((c: any) => c.key === 'UNAUTHORIZED_API_CALLS');
      expect(unauthorized).toMatchObject({ matches: 8, byDay: { '2024-03-01': 5, '2024-03-03': 2, '2024-03-06': 1 } });

      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-chromium-'));
      const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1200, height: 900 },
      });
      try {
        const pageUrl = pathToFileURL(htmlFile).href;
        const requests: string[] = [];
        const refused: string[] = [];
        const messages: string[] = [];
        const dialogs: string[] = [];
        await context.route('**/*', route => {
          const url = route.request().url();
          if (url === pageUrl) return route.continue();
          refused.push(url);
          return route.abort();
        });
        const page = await context.newPage();
        page.on('request', r => requests.push(r.url()));
        page.on('console', m => messages.push(`${m.type()}: ${m.text()}`));
        page.on('pageerror', e => messages.push(`pageerror: ${e.message}`));
        page.on('dialog', d => { dialogs.push(d.message()); void d.dismiss(); });
        await page.goto(pageUrl, { waitUntil: 'load' });

        // Nothing but the page itself was requested; nothing tried to run (a blocked script or image would log a
        // Content-Security-Policy violation on the console).
        expect(requests).toEqual([pageUrl]);
        expect(refused).toEqual([]);
        expect(messages).toEqual([]);
        expect(dialogs).toEqual([]);
        expect(await page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
        expect(await page.locator('script').count()).toBe(0);
        expect(await page.locator('img').count()).toBe(0);
        expect(await page.locator('[onerror], [onload]').count()).toBe(0);

        // The malicious texts are shown as text, where they belong.
        const pageText = await page.locator('body').innerText();
        expect(pageText).toContain(BAD_FILE);
        const sections = await drawn(page);
        expect(sections.map(s => s.key)).toEqual(report.controls.map((c: any) => c.key));
        for (const [i, s] of sections.entries()) {
          const control = report.controls[i];
          // One bar per day with matches, carrying that day's count; heights proportional to the counts.
          expect(s.matches).toBe(control.matches);
          expect(Object.fromEntries(s.bars.map(b => [b.day, b.count]))).toEqual(control.byDay);
          const max = Math.max(...s.bars.map(b => b.count));
          const tallest = Math.max(...s.bars.map(b => b.height));
          for (const b of s.bars) {
            expect(b.height).toBeGreaterThan(0);
            expect(b.height / tallest).toBeCloseTo(b.count / max, 2);
          }
        }
        const drawnUnauthorized = sections.find(s => s.key === 'UNAUTHORIZED_API_CALLS')!;
        expect(drawnUnauthorized.bars.map(b => [b.day, b.count])).toEqual([['2024-03-01', 5], ['2024-03-03', 2], ['2024-03-06', 1]]);
        const [h5, h2, h1] = drawnUnauthorized.bars.map(b => b.height);
        expect(h5 / h1).toBeCloseTo(5, 1);
        expect(h2 / h1).toBeCloseTo(2, 1);
        expect(drawnUnauthorized.principals).toEqual([{ name: MALLORY, matches: 4 }, { name: BOB, matches: 3 }, { name: IMG_ARN, matches: 1 }]);
        expect(drawnUnauthorized.sourceIps).toEqual([
          { name: '203.0.113.9', matches: 5 }, { name: '198.51.100.20', matches: 2 }, { name: SVG_IP, matches: 1 },
        ]);
        expect(drawnUnauthorized.sampleIds).toEqual([SCRIPT_ID, 'evt-2', 'evt-3']);
        expect(drawnUnauthorized.sampleIds).toEqual(unauthorized.samples);
        const vpc = sections.find(s => s.key === 'VPC_CHANGES')!;
        expect(vpc.bars.map(b => [b.day, b.count])).toEqual([['2024-03-03', 1]]);
        expect(vpc.sampleIds).toEqual(['vpc-1']);
        // A control without matches draws no bar.
        expect(sections.find(s => s.key === 'ROOT_ACCOUNT_USAGE')!.bars).toEqual([]);
        const sampleRow = await page.locator('section[data-key="UNAUTHORIZED_API_CALLS"] table.samples tr.sample').first().innerText();
        expect(sampleRow).toContain(TITLE_NAME);

        const shot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-html-shot-')), `${command[0]}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        const png = fs.readFileSync(shot);
        expect(png.length).toBeGreaterThan(0);
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        fs.rmSync(path.dirname(shot), { recursive: true, force: true });
      } finally {
        await context.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    });
  },
);
