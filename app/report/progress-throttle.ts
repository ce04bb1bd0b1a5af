import type { ReportProgress } from './pdf.js';

/**
 * `send` heard at most once per hundredth of a step with a total (5,000 devices make 100 calls,
 * not 5,000), once per page of the layout (whose total is unknown), and always at a step's start
 * and end; a `done` that does not move forward within a step is dropped. For a report's progress
 * crossing a thread or a socket (export-worker.ts, `report.exportInput`), where one message per
 * device would cost more than the device itself. Pure apart from calling `send`.
 */
export function throttledProgress(send: ReportProgress): ReportProgress {
  let last: { step: string; done: number; total: number | null } | null = null;
  return (step, done, total) => {
    if (last && last.step === step && last.total === total) {
      if (done <= last.done) return;
      const hundredth = total === null ? 1 : Math.max(1, Math.floor(total / 100));
      if (done !== total && Math.floor(done / hundredth) === Math.floor(last.done / hundredth))
        return;
    }
    last = { step, done, total };
    send(step, done, total);
  };
}
