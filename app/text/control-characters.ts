/**
 * Characters that a terminal or a text view acts on instead of showing: C0 controls other than tab
 * and line feed (ESC starts ANSI/VT sequences that move the cursor, retitle the window or hide
 * text; CR overwrites a line), DEL, C1 controls (U+0080–U+009F: CSI, OSC…), and the Unicode
 * bidirectional marks, embeddings, overrides and isolates that reorder what is displayed (Unicode
 * Standard Annex #9; the "Trojan Source" spoofing, CVE-2021-42574).
 * Sources: ECMA-48 (control functions), Unicode UAX #9 §2.
 */
const DISPLAY_CONTROLS =
  // eslint-disable-next-line no-control-regex -- matching control characters is this module's purpose
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** The same, carriage return excepted: stored text such as a banner keeps its CRLF line ends. */
const DISPLAY_CONTROLS_BUT_CR =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from outside the app (an imported file, a host's name, a service banner) as it can be shown
 * safely: each display control (see DISPLAY_CONTROLS) becomes U+FFFD, so it is seen, not obeyed.
 * Tab and line feed are kept, and carriage return too when `keepCarriageReturn` (text that is
 * stored, like a service banner's CRLF lines; a terminal is written through the strict form).
 * Pure; never throws.
 */
export function withoutDisplayControls(text: string, keepCarriageReturn = false): string {
  return text.replace(keepCarriageReturn ? DISPLAY_CONTROLS_BUT_CR : DISPLAY_CONTROLS, '\uFFFD');
}

/**
 * Text for a one-line field (a host, service or program name in a table): display controls
 * neutralised as withoutDisplayControls does, and line feeds, U+2028/U+2029 and tabs made spaces (CR and NEL are
 * already U+FFFD), so a name cannot start lines of its own that look like the app's. Pure.
 */
export function oneLine(text: string): string {
  return withoutDisplayControls(text).replace(/[\t\n\u2028\u2029]/gu, ' ');
}
