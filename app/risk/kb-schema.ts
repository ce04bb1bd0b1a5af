import { z } from 'zod';
import { Protocol } from '../contract/scan.js';
import { PortRange, Reference, RiskCategory, Severity } from '../contract/risk.js';

/** Both languages must say something: an empty string would show a blank line in the UI. */
const Text = z.object({ fr: z.string().trim().min(1), en: z.string().trim().min(1) });

export function rangeOfPort(port: number): PortRange {
  if (port <= 1023) return 'well-known';
  if (port <= 49151) return 'registered';
  return 'dynamic';
}

export const KbEntry = z
  .object({
    port: z.number().int().min(0).max(65535),
    protocols: z.array(Protocol).min(1),
    /** Short lowercase service name, unique in the file (banners are mapped to it). */
    service: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    category: RiskCategory,
    range: PortRange,
    severity: Severity,
    /** Overrides `severity` when the port belongs to this PC. */
    localSeverity: Severity.optional(),
    /** Overrides `severity` when the port belongs to another device of the network. */
    deviceSeverity: Severity.optional(),
    reason: Text,
    advice: Text,
    /**
     * Replaces `advice` for this PC when it does not run Windows, for a port whose usual advice is
     * about Windows' own service (135: Windows' RPC endpoint mapper, Samba's or Wine's elsewhere).
     */
    otherSystemAdvice: Text.optional(),
    references: z.array(Reference),
    /** Program names that normally own this port (Windows services, daemons), compared case-insensitively. */
    expectedPrograms: z.array(z.string().min(1)).optional(),
    /** Windows service names that normally own this port. */
    expectedServices: z.array(z.string().min(1)).optional(),
  })
  .strict()
  .refine((e) => e.range === rangeOfPort(e.port), {
    message: 'range does not match the port number',
    path: ['range'],
  });
export type KbEntry = z.infer<typeof KbEntry>;

export const KnowledgeBaseFile = z
  .object({
    version: z.literal(1),
    entries: z.array(KbEntry).min(100),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    const services = new Set<string>();
    file.entries.forEach((entry, index) => {
      for (const protocol of entry.protocols) {
        const key = `${entry.port}/${protocol}`;
        if (seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            message: `duplicate entry ${key}`,
            path: ['entries', index],
          });
        }
        seen.add(key);
      }
      if (services.has(entry.service)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate service ${entry.service}`,
          path: ['entries', index, 'service'],
        });
      }
      services.add(entry.service);
    });
  });
export type KnowledgeBaseFile = z.infer<typeof KnowledgeBaseFile>;
