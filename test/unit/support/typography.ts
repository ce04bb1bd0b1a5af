/**
 * A French sentence typed in a test with plain spaces, set as the catalogue sets it (the Imprimerie
 * nationale rule that test/unit/catalogue.test.ts enforces): U+00A0 before a colon ending a clause
 * and inside « », U+202F before ; ? !. Assertions stay exact while their sentences stay readable.
 */
export function typeset(text: string): string {
  return text
    .replace(/[ \u00a0\u202f]+:(?=\s|$)/g, '\u00a0:')
    .replace(/[ \u00a0\u202f]+([;?!])/g, '\u202f$1')
    .replace(/«[ \u00a0\u202f]*/g, '«\u00a0')
    .replace(/[ \u00a0\u202f]*»/g, '\u00a0»');
}
