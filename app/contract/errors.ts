import { z } from 'zod';

/**
 * Every failure that crosses the contract is an AppError: a stable `code` the UI and tests can
 * branch on, the values that explain it (`params`), and the sentence already written in both UI
 * languages so the renderer, the CLI and a report show the same words.
 */
export const LocalizedText = z.object({ fr: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const AppError = z.object({
  code: z.string(),
  message: LocalizedText,
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type AppError = z.infer<typeof AppError>;
