/** Suggestions further than this many edits away are not offered. */
const MAX_DISTANCE = 3;
/** Nor those sharing less than this share of the longer word. */
const MIN_SIMILARITY = 0.4;

/**
 * Optimal string alignment distance (Damerau–Levenshtein without editing a substring twice):
 * insertions, deletions, substitutions and swaps of two neighbours each cost one.
 */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > MAX_DISTANCE) return Math.max(a.length, b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to a mistyped `word` (a command name, or a `--long` option compared
 * without its dashes), sorted; empty when none is close. The same rule as commander's own
 * suggestion (lib/suggestSimilar.js), whose English sentence the CLI does not use.
 */
export function suggestSimilar(word: string, candidates: readonly string[]): string[] {
  const options = word.startsWith('--');
  const bare = options ? word.slice(2) : word;
  let similar: string[] = [];
  let bestDistance = MAX_DISTANCE;
  for (const candidate of new Set(candidates)) {
    const name = options ? candidate.replace(/^--/, '') : candidate;
    if (name.length <= 1) continue;
    const distance = editDistance(bare, name);
    const length = Math.max(bare.length, name.length);
    if ((length - distance) / length <= MIN_SIMILARITY) continue;
    if (distance < bestDistance) {
      bestDistance = distance;
      similar = [candidate];
    } else if (distance === bestDistance) {
      similar.push(candidate);
    }
  }
  return similar.sort((a, b) => a.localeCompare(b));
}
