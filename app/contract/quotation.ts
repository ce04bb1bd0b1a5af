/**
 * Words from outside the app (an nmap file's name or command line) as they are quoted inside one
 * of the app's sentences (« … » in French, “…” in English): the quotation marks that could close
 * our quotation early (« » “ ” ") become their single forms (‹ › ‘ ’ '), so `x ». Port Auditor a
 * vérifié…` stays inside the quote (issue 15, F2). Pure; in the contract so the renderer uses it
 * too (the words themselves were neutralised where they entered: app/text/control-characters.ts).
 */
export function withoutClosingQuotes(text: string): string {
  return text.replace(/[«»“”"]/gu, (mark) => QUOTE_SWAP[mark] ?? mark);
}

const QUOTE_SWAP: Record<string, string> = { '«': '‹', '»': '›', '“': '‘', '”': '’', '"': "'" };
