import type { Locator, Page } from 'playwright-core';

/** Whether `locator`'s element (found by role and name) is document.activeElement now. */
export async function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/**
 * Presses Tab (a keyboard user's only way forward) until `locator`'s element has the focus, at
 * most `max` times. Throws, naming what had the focus last, when it is never reached.
 */
export async function tabTo(page: Page, locator: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if ((await locator.count()) > 0 && (await hasFocus(locator.first()))) return;
  }
  throw new Error(
    `not reached in ${max} Tab presses; the focus is on ${await describeFocus(page)}`,
  );
}

/** What has the focus, for failure messages: its tag, role, name-ish attributes and text. */
export async function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return 'nothing';
    const text = (el.textContent ?? '').trim().slice(0, 80);
    return `<${el.tagName.toLowerCase()} role=${el.getAttribute('role')} aria-label=${el.getAttribute('aria-label')} id=${el.id}> ${text}`;
  });
}

/** One element that took the focus: its role attribute (or tag), aria-label and test id. */
export interface FocusStop {
  role: string;
  label: string;
  testId: string;
}

/**
 * Records every element that takes the focus from now on (focusin), including those a component
 * moves the focus to and that are gone by the time the test looks (a scan's progress panel).
 */
export async function recordFocus(page: Page): Promise<{ stops(): Promise<FocusStop[]> }> {
  await page.evaluate(() => {
    const w = window as unknown as { __focusStops?: unknown[] };
    const listening = w.__focusStops !== undefined;
    w.__focusStops = [];
    if (listening) return;
    document.addEventListener('focusin', (event) => {
      const el = event.target as Element;
      w.__focusStops?.push({
        role: el.getAttribute('role') ?? el.tagName.toLowerCase(),
        label: el.getAttribute('aria-label') ?? '',
        testId: el.getAttribute('data-testid') ?? '',
      });
    });
  });
  return {
    stops: () =>
      page.evaluate(() => (window as unknown as { __focusStops: FocusStop[] }).__focusStops),
  };
}

/**
 * Counts the animation frames in which the focus is on `<body>` (lost) from now until `until`'s
 * test id has the focus: a focused button that gets disabled or removed moves the focus to body
 * without any focus event, so only sampling sees it.
 */
export async function watchFocusLoss(
  page: Page,
  untilTestId: string,
): Promise<{ framesOnBody(): Promise<number> }> {
  await page.evaluate((until) => {
    const w = window as unknown as { __framesOnBody: number };
    w.__framesOnBody = 0;
    const tick = () => {
      const active = document.activeElement;
      if (!active || active === document.body) w.__framesOnBody += 1;
      if (active?.getAttribute('data-testid') !== until) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, untilTestId);
  return {
    framesOnBody: () =>
      page.evaluate(() => (window as unknown as { __framesOnBody: number }).__framesOnBody),
  };
}
