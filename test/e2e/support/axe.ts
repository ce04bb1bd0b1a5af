import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, run in the page as it is (Deque's engine, WCAG 2.1 A/AA rules). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** WCAG 2.2 A/AA, plus Deque's best practices (landmarks, heading order) a screen-reader user relies on. */
const WCAG22_TAGS = [...WCAG_TAGS, 'wcag22a', 'wcag22aa', 'best-practice'];

/** The part of axe-core's result a test reports: which rule, on which elements. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * The accessibility violations axe-core finds on the page as shown now, within `selector` when
 * given (a CSS selector; else the whole document), for the WCAG 2.1 A and AA rules. Each as
 * "rule-id: help — element (its markup, why), …". An empty list means axe-core found nothing to object to.
 * The engine is evaluated through the DevTools protocol, so the app's Content-Security-Policy
 * (no inline script) stays as it is in production.
 */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  const violations = await runAxe(page, WCAG_TAGS, selector);
  return violations.map((v) => `${v.id}: ${v.help} — ${v.targets.join(', ')}`);
}

/**
 * The violations axe-core finds on the whole page as shown now, for WCAG 2.2 A and AA and Deque's
 * best practices (landmarks, heading order, table headers), each as axeViolations() words it with
 * its impact first ("serious color-contrast: …"). Empty when axe-core finds nothing to object to.
 */
export async function wcag22Violations(page: Page): Promise<string[]> {
  const violations = await runAxe(page, WCAG22_TAGS);
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.targets.join(', ')}`);
}

async function runAxe(page: Page, tags: string[], selector?: string): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  // Colours are measured as painted: wait for fades and transitions (not endless spinners) to end.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity,
      ),
  );
  const violations = await page.evaluate(
    async ({ include, tags }) => {
      interface AxeLike {
        run(
          context: unknown,
          options: unknown,
        ): Promise<{
          violations: {
            id: string;
            impact?: string | null;
            help: string;
            nodes: { target: unknown[]; html: string; failureSummary?: string }[];
          }[];
        }>;
      }
      const axe = (window as unknown as { axe: AxeLike }).axe;
      const result = await axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        // axe-core ships WCAG 2.2's 2.5.8 Target Size (Minimum) disabled: run it with the 2.2
        // rules, so a link or button under 24×24 px fails (issue 15, N4).
        ...(tags.includes('wcag22aa') ? { rules: { 'target-size': { enabled: true } } } : {}),
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? null,
        help: v.help,
        // The element's own markup says which one it is better than a generated class name.
        targets: v.nodes.map(
          (n) =>
            `${n.target.map(String).join(' ')} ${n.html.slice(0, 160)} (${n.failureSummary ?? ''})`,
        ),
      }));
    },
    { include: selector, tags },
  );
  return violations;
}
