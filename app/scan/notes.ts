/**
 * ScanResult.notes are plain strings in the contract; each note carries both languages as
 * `fr` + "\n" + `en`, so every host shows the user's language: `noteText(note, 'en')`.
 */
export function note(fr: string, en: string): string {
  return `${fr}\n${en}`;
}

export function noteText(text: string, language: 'fr' | 'en'): string {
  const [fr, en] = text.split('\n');
  return (language === 'fr' ? fr : (en ?? fr)) ?? text;
}
