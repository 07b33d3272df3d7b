import { createHash } from 'crypto';

/**
 * One self-contained HTML page, shared by the CLI's replay/hunt report (packages/cli, through src/cli-support.ts) and
 * the evidence report (src/verdicts/evidence) that `audit --html` and the self-audit function write.
 *
 * The page loads nothing: no script, no stylesheet, font or image from anywhere; its one <style> element is allowed by
 * hash in a Content-Security-Policy that forbids everything else (`default-src 'none'`), so it reads the same from
 * file:// as from a server or an e-mail attachment. Every text that comes from an input goes through `escapeHtml`;
 * the policy is a second wall, not the first. Node built-ins only (crypto), so the self-audit function can use it.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** The page's Content-Security-Policy: nothing but the one inline style sheet, allowed by its hash. */
export function contentSecurityPolicy(css: string): string {
  const styleHash = createHash('sha256').update(css).digest('base64');
  return `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;
}

/** What a page holds. */
export interface HtmlPage {
  /** The title, as text (escaped here). */
  readonly title: string;
  /** The one style sheet (inline; allowed by hash). It must not load anything (no url(), no @import). */
  readonly css: string;
  /** The body's parts, already HTML (each input text escaped by the caller); empty parts are left out. */
  readonly body: readonly string[];
}

/** The page as one HTML document. */
export function htmlPage(page: HtmlPage): string {
  if (/url\(|@import/i.test(page.css)) throw new Error('the style sheet of a self-contained page may not load anything (url(), @import)');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.css))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${page.css}</style>
</head>
<body>
${page.body.filter((s) => s !== '').join('\n')}
</body>
</html>
`;
}
