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
  /**
   * A host answering faster than this is not rate-limiting: RST and ICMP limits in the wild are
   * tens to hundreds a second (FreeBSD's icmplim 200/s, Linux's 1/s per destination after a burst
   * for ICMP errors); a fast host's late answers are loss or this PC's own load, handled by the
   * window, not by pacing.
   */
  maxLimitedRate: number;
}

export const defaultLossSettings: LossSettings = {
  window: 32,
  minAnswers: 8,
  limitingShare: 0.25,
  paceShare: 0.8,
  maxPaceMs: 1000,
  maxLimitedRate: 2000,
};

/** A span of time during which probes were lost (their silence proves nothing). */
interface Span {
  start: number;
  end: number;
}

const MAX_SPANS = 4096;
/** Answers spanning less than this say nothing about a rate. */
const MIN_RATE_SPAN_MS = 200;

/** Events of the last `spanMs` (times kept in order, dropped from the front as they age). */
class RateWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly spanMs: number) {}

  add(at: number): void {
    this.times.push(at);
    while (this.times[this.head]! < at - this.spanMs) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Events a second, or 0 when fewer than four or spanning less than `minSpanMs`. */
  rate(minSpanMs: number): number {
    const n = this.times.length - this.head;
    if (n < 4) return 0;
    const span = this.times[this.times.length - 1]! - this.times[this.head]!;
    return span >= minSpanMs ? ((n - 1) * 1000) / span : 0;
  }
}

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
  private readonly ringRetry: boolean[] = [];
  private ringHead = 0;
  private readonly retryAnswers = new RateWindow(1000);
  private readonly spans: Span[] = [];
  private paceSetAt = Number.NEGATIVE_INFINITY;
  /** Answers, and those on a retry, to probes whose previous attempt left at the current pace. */
  private pacedAnswers = 0;
  private pacedRetries = 0;
  private slowedOnce = false;
  /** Pacing was tried and losses went on alike: this host loses answers, it does not limit them. */
  private notLimited = false;
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
    if (this.paceMs > 0 && firstSentAt >= this.paceSetAt) this.judgePace(at, tries > 0);
    // A ring: every answer of a 65,535-port scan passes here, so nothing is allocated or shifted.
    const size = this.settings.window;
    if (this.ringRetry.length < size) this.ringRetry.push(tries > 0);
    else {
      this.ringRetry[this.ringHead] = tries > 0;
      this.ringHead = (this.ringHead + 1) % size;
    }
    if (tries > 0) this.retryAnswers.add(at);
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
    if (this.paceMs === 0 && !this.notLimited && this.limiting()) this.startPacing(end);
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
    const n = this.ringRetry.length;
    if (n < this.settings.minAnswers) return false;
    const retries = this.ringRetry.filter(Boolean).length;
    if (retries / n < this.settings.limitingShare) return false;
    const rate = this.answerRate();
    return rate > 0 && rate <= this.settings.maxLimitedRate;
  }

  /**
   * Answers to retries a second, over the last second: under a limiter they come at its rate (the
   * first tries also got the burst its bucket held at the start, which says nothing about it).
   * 0 while they span too short a time to say (answers read in one turn of the event loop share a
   * timestamp).
   */
  answerRate(): number {
    return this.retryAnswers.rate(MIN_RATE_SPAN_MS);
  }

  /** Paces sends at `paceShare` of the rate the host's answers come back at. */
  private startPacing(now: number): void {
    const rate = this.answerRate();
    this.paceMs = Math.min(this.settings.maxPaceMs, 1000 / (rate * this.settings.paceShare));
    this.paceSetAt = now;
    this.pacedAnswers = 0;
    this.pacedRetries = 0;
  }

  /**
   * Whether the pace works, from the answers to probes sent at that pace: a limiter stops losing
   * once probes come slower than its limit. When losses go on alike, the pace halves once; if they
   * still go on, the host was losing answers, not limiting them, and pacing stops for good (it
   * would only slow the scan: a lossy path loses the same share at any pace).
   */
  private judgePace(at: number, retry: boolean): void {
    this.pacedAnswers++;
    if (retry) this.pacedRetries++;
    if (this.pacedAnswers < this.settings.minAnswers) return;
    const stillLosing = this.pacedRetries / this.pacedAnswers >= this.settings.limitingShare;
    if (!stillLosing) return;
    if (!this.slowedOnce) {
      this.slowedOnce = true;
      this.paceMs = Math.min(this.settings.maxPaceMs, this.paceMs * 2);
      this.paceSetAt = at;
      this.pacedAnswers = 0;
      this.pacedRetries = 0;
      return;
    }
    this.notLimited = true;
    this.paceMs = 0;
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
