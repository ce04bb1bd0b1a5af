/** How the loss monitor reads a host's answers. */
export interface LossSettings {
  /** Answers looked at to tell rate limiting from occasional loss. */
  window: number;
  /** Fewer answers than this say nothing about limiting. */
  minAnswers: number;
  /** Share of those answers that came only on a retry, above which the host is limiting. */
  limitingShare: number;
  /** Pace sends at this share of the rate the limited host answers at. */
  paceShare: number;
  /** Slowest pace: one probe per this many milliseconds. */
  maxPaceMs: number;
}

export const defaultLossSettings: LossSettings = {
  window: 32,
  minAnswers: 8,
  limitingShare: 0.25,
  paceShare: 0.8,
  maxPaceMs: 1000,
};

/** A span of time during which probes were lost (their silence proves nothing). */
interface Span {
  start: number;
  end: number;
}

const MAX_SPANS = 4096;

/**
 * Tells loss from filtering for one host, from what its answers show (all times in milliseconds
 * on the engine's clock):
 *
 * - an answer to a retry, for a port whose first attempt went unanswered, proves that attempt was
 *   lost: the span between them is lossy;
 * - a "ping" (a probe to a port known to answer) that goes unanswered is loss too;
 * - when retries' answers make up a large share of the recent answers (`limitingShare`) the host
 *   answers at a capped rate — RST or ICMP rate limiting — and sending is paced at the rate its
 *   answers come back, as nmap raises its scan delay when retransmissions get the answers;
 * - a silent attempt is evidence of filtering only if no lossy span overlaps it.
 *
 * Pure: every method takes the time from the caller.
 */
export class LossMonitor {
  private readonly recent: { at: number; retry: boolean }[] = [];
  private readonly spans: Span[] = [];
  private paceSetAt = Number.NEGATIVE_INFINITY;
  /** Minimum milliseconds between two probes to this host (0: not paced). */
  paceMs = 0;
  /** Loss evidence counted so far. */
  lossEvents = 0;
  lastAnswerAt = Number.NEGATIVE_INFINITY;
  lastPingAnsweredAt = Number.NEGATIVE_INFINITY;
  lastLossAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly settings: LossSettings = defaultLossSettings) {}

  /**
   * A port probe was answered at `at`. `firstSentAt` is when that port's first attempt left, for
   * an answer that came on a retry (`tries` > 0): that first attempt's silence was loss.
   */
  answered(at: number, tries: number, firstSentAt = at): void {
    this.lastAnswerAt = at;
    this.recent.push({ at, retry: tries > 0 });
    if (this.recent.length > this.settings.window) this.recent.shift();
    if (tries > 0) this.lost(firstSentAt, at);
  }

  /** A ping was answered: the path carries probes and answers right now. */
  pingAnswered(at: number): void {
    this.lastAnswerAt = at;
    this.lastPingAnsweredAt = at;
  }

  /**
   * A ping sent at `sentAt` got no answer by `at`. The path was last known good at the previous
   * answered ping: everything sent since may have been lost.
   */
  pingLost(sentAt: number, at: number): void {
    this.lost(Math.min(sentAt, Math.max(this.lastPingAnsweredAt, sentAt - 1000)), at);
  }

  private lost(start: number, end: number): void {
    this.lossEvents++;
    this.lastLossAt = Math.max(this.lastLossAt, end);
    this.addSpan(start, end);
    if (this.limiting() && (this.paceMs === 0 || start >= this.paceSetAt)) this.repace(end);
  }

  /** Keeps the lossy spans sorted and disjoint, so a lookup is a binary search. */
  private addSpan(start: number, end: number): void {
    const spans = this.spans;
    let i = this.lastStartingBefore(start) + 1;
    if (i > 0 && spans[i - 1]!.end >= start) {
      i--;
      spans[i]!.end = Math.max(spans[i]!.end, end);
    } else {
      spans.splice(i, 0, { start, end });
    }
    while (i + 1 < spans.length && spans[i + 1]!.start <= spans[i]!.end) {
      spans[i]!.end = Math.max(spans[i]!.end, spans[i + 1]!.end);
      spans.splice(i + 1, 1);
    }
    if (spans.length > MAX_SPANS) {
      // Bounded memory: the two oldest spans become one (a loss is never forgotten, only blurred).
      const [a, b] = spans.splice(0, 2) as [Span, Span];
      spans.unshift({ start: a.start, end: b.end });
    }
  }

  /** Index of the last span starting at or before `at`, or -1. */
  private lastStartingBefore(at: number): number {
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid]!.start <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Retries' answers are a large share of the recent answers: the host caps its answer rate. */
  limiting(): boolean {
    const n = this.recent.length;
    if (n < this.settings.minAnswers) return false;
    const retries = this.recent.filter((a) => a.retry).length;
    return retries / n >= this.settings.limitingShare;
  }

  /**
   * Answers per second over the recent answers (0 when too few to say). Counted from the first
   * answer that came on a retry, when there is one: the burst a limiter lets through first (its
   * bucket, full at the start) says nothing about its rate.
   */
  answerRate(): number {
    const firstRetry = this.recent.findIndex((a) => a.retry);
    const from = firstRetry > 0 && this.recent.length - firstRetry >= 3 ? firstRetry : 0;
    const n = this.recent.length - from;
    if (n < 3) return 0;
    const span = this.recent[this.recent.length - 1]!.at - this.recent[from]!.at;
    return span > 0 ? ((n - 1) * 1000) / span : 0;
  }

  /**
   * Paces sends at `paceShare` of the answer rate. Later losses of attempts sent before the pace
   * was set are old news; a loss of one sent after it means the pace is still too fast, and it
   * halves. (Re-estimating from the answers instead would spiral down: at a pace below the limit
   * the answer rate is the pace itself.)
   */
  private repace(now: number): void {
    const rate = this.answerRate();
    const fromRate = rate > 0 ? 1000 / (rate * this.settings.paceShare) : this.settings.maxPaceMs;
    const next = this.paceMs > 0 ? Math.max(this.paceMs * 2, fromRate) : fromRate;
    this.paceMs = Math.min(this.settings.maxPaceMs, next);
    this.paceSetAt = now;
  }

  /** True when an attempt that was in flight over [start, end] may have been lost. */
  overlapsLoss(start: number, end: number): boolean {
    const i = this.lastStartingBefore(end);
    return i >= 0 && this.spans[i]!.end >= start;
  }

  /** A ping was answered within `withinMs` and nothing was lost since: the path is quiet now. */
  quiet(now: number, withinMs: number): boolean {
    return now - this.lastPingAnsweredAt <= withinMs && this.lastLossAt < this.lastPingAnsweredAt;
  }
}
