import { describe, expect, it } from 'vitest';
import { CongestionWindow, SendBudget } from '../../app/scan/congestion.js';
import { LossMonitor } from '../../app/scan/loss.js';
import { ProgressMeter } from '../../app/scan/progress.js';
import { RttEstimator } from '../../app/scan/rtt.js';
import { ResetLog } from '../../app/scan/silence.js';

describe('RttEstimator (RFC 6298 §2)', () => {
  it('has no timeout before a sample, then SRTT + 4·RTTVAR within bounds', () => {
    const rtt = new RttEstimator(100, 3000);
    expect(rtt.rto()).toBeUndefined();
    rtt.sample(200);
    // First sample: SRTT = R, RTTVAR = R/2 → RTO = 200 + 4·100.
    expect(rtt.smoothedMs).toBe(200);
    expect(rtt.variationMs).toBe(100);
    expect(rtt.rto()).toBe(600);
    rtt.sample(100);
    // RTTVAR = 3/4·100 + 1/4·|200 − 100| = 100; SRTT = 7/8·200 + 1/8·100 = 187.5.
    expect(rtt.variationMs).toBe(100);
    expect(rtt.smoothedMs).toBe(187.5);
    expect(rtt.rto()).toBe(587.5);
    expect(rtt.samples).toBe(2);
  });

  it('clamps to the minimum on a fast LAN and to the maximum on a slow path', () => {
    const fast = new RttEstimator(100, 3000);
    for (let i = 0; i < 20; i++) fast.sample(0.2);
    expect(fast.rto()).toBe(100);
    const slow = new RttEstimator(100, 3000);
    slow.sample(2500);
    expect(slow.rto()).toBe(3000);
  });

  it('takes a seed only while it has no measurement, without counting it', () => {
    const rtt = new RttEstimator(10, 3000);
    rtt.seed(20, 10);
    expect(rtt.rto()).toBe(60);
    expect(rtt.samples).toBe(0);
    rtt.sample(1);
    rtt.seed(500, 500);
    expect(rtt.smoothedMs).toBeCloseTo(17.625);
  });
});

describe('CongestionWindow', () => {
  it('grows by one per probe learnt without loss, up to its ceiling', () => {
    const w = new CongestionWindow({ initial: 4, min: 2, max: 6 });
    expect(w.limit).toBe(4);
    w.grow();
    w.grow();
    w.grow();
    expect(w.limit).toBe(6);
    w.setCeiling(10);
    w.grow(3);
    expect(w.limit).toBe(9);
    w.setCeiling(5);
    expect(w.limit).toBe(5);
  });

  it('halves once per flight: losses of probes sent before the last cut cost nothing more', () => {
    const w = new CongestionWindow({ initial: 64, min: 4, max: 1024 });
    expect(w.cut(100, 150)).toBe(true);
    expect(w.limit).toBe(32);
    // Sent at 120, before the cut at 150: the same flight.
    expect(w.cut(120, 160)).toBe(false);
    expect(w.limit).toBe(32);
    expect(w.cut(151, 300)).toBe(true);
    expect(w.limit).toBe(16);
    for (let i = 0; i < 10; i++) w.cut(1000 + i * 100, 1001 + i * 100);
    expect(w.limit).toBe(4);
  });

  it('opens at once for a silent neighbour and clamps on resource shortage', () => {
    const w = new CongestionWindow({ initial: 256, min: 8, max: 1024 });
    w.openTo(1024);
    expect(w.limit).toBe(1024);
    w.clampTo(100);
    expect(w.limit).toBe(100);
    w.clampTo(1);
    expect(w.limit).toBe(8);
  });
});

describe('SendBudget', () => {
  it('lets everything through until it is set', () => {
    const budget = new SendBudget();
    for (let i = 0; i < 1000; i++) {
      expect(budget.ready(0)).toBe(true);
      budget.take(0);
    }
    expect(budget.nextAt(5)).toBe(5);
  });

  it('spaces sends evenly with a burst of one (a paced host)', () => {
    const budget = new SendBudget();
    budget.set(16, 1, 0);
    expect(budget.ready(0)).toBe(true);
    budget.take(0);
    expect(budget.ready(10)).toBe(false);
    expect(budget.nextAt(10)).toBeCloseTo(62.5, 5);
    expect(budget.ready(62.5)).toBe(true);
    budget.take(62.5);
    // Idle time does not build up more than the burst.
    expect(budget.ready(10_000)).toBe(true);
    budget.take(10_000);
    expect(budget.ready(10_001)).toBe(false);
  });

  it('caps a full-speed host at its rate over time, bursts included', () => {
    const budget = new SendBudget();
    budget.set(25_000, 1250, 0);
    let sent = 0;
    for (let at = 0; at <= 1000; at += 1) {
      while (budget.ready(at)) {
        budget.take(at);
        sent++;
      }
    }
    // One second: the first burst plus 25,000 a second.
    expect(sent).toBeGreaterThanOrEqual(25_000);
    expect(sent).toBeLessThanOrEqual(25_000 + 1250 + 1);
  });
});

describe('LossMonitor', () => {
  it('reads occasional loss as loss, not as a rate limit', () => {
    const loss = new LossMonitor();
    for (let i = 0; i < 30; i++) loss.answered(i, 0);
    loss.answered(31, 1, 10);
    expect(loss.lossEvents).toBe(1);
    expect(loss.limiting()).toBe(false);
    expect(loss.paceMs).toBe(0);
    // The first attempt of the retried port was in flight over [10, 31]: silence then proves nothing.
    expect(loss.overlapsLoss(20, 120)).toBe(true);
    expect(loss.overlapsLoss(32, 132)).toBe(false);
    expect(loss.overlapsLoss(0, 9)).toBe(false);
  });

  it('sees a rate limit when retries get the answers, and paces at the rate answers come', () => {
    const loss = new LossMonitor();
    // A burst of 5 first-try answers, then 20 answers a second, all to retries.
    for (let i = 0; i < 5; i++) loss.answered(i, 0);
    for (let i = 1; i <= 20; i++) loss.answered(i * 50, 1, 0);
    expect(loss.limiting()).toBe(true);
    // The rate is read from the answers to retries, not the first burst: 20 a second.
    expect(loss.answerRate()).toBeCloseTo(20, 5);
    // Paced as soon as the limit showed, at 80 % of that rate: one probe every 62.5 ms.
    expect(loss.paceMs).toBeCloseTo(1000 / (0.8 * 20), 5);
  });

  it('does not take a fast host that loses answers for a rate-limited one', () => {
    const loss = new LossMonitor();
    // 10,000 answers a second, one in three on a retry: loss (or this PC's own load), not a limit.
    for (let i = 0; i < 3000; i++) loss.answered(i / 10, i % 3 === 0 ? 1 : 0, i / 10 - 100);
    expect(loss.answerRate()).toBeGreaterThan(2000);
    expect(loss.limiting()).toBe(false);
    expect(loss.paceMs).toBe(0);
    expect(loss.lossEvents).toBeGreaterThan(0);
  });

  it('keeps a pace that stops the losses, slows once if it does not, then gives pacing up', () => {
    const limited = new LossMonitor();
    for (let i = 1; i <= 12; i++) limited.answered(i * 50, 1, 0);
    const pace = limited.paceMs;
    expect(pace).toBeCloseTo(62.5, 5);
    // Retries of attempts sent before the pace was set: old news. Answers to probes sent at the
    // pace, on their first try: the pace works, it stays.
    limited.answered(700, 1, 0);
    for (let i = 0; i < 20; i++) limited.answered(800 + i * 62.5, 0);
    expect(limited.paceMs).toBe(pace);

    const lossy = new LossMonitor();
    for (let i = 1; i <= 12; i++) lossy.answered(i * 50, 1, 0);
    const first = lossy.paceMs;
    // At the pace, a third of the answers still come on retries: twice slower…
    for (let i = 0; i < 9; i++) lossy.answered(700 + i * 62.5, i % 3 === 0 ? 1 : 0, 650 + i * 62.5);
    expect(lossy.paceMs).toBeCloseTo(first * 2, 5);
    // …and the same again: this host loses answers, it does not limit them. No more pacing.
    for (let i = 0; i < 9; i++) lossy.answered(2000 + i * 125, i % 3 === 0 ? 1 : 0, 1900 + i * 125);
    expect(lossy.paceMs).toBe(0);
    for (let i = 0; i < 40; i++) lossy.answered(4000 + i * 50, 1, 3000);
    expect(lossy.paceMs).toBe(0);
  });

  it('does not pace on answers read in one instant: they give no rate', () => {
    const loss = new LossMonitor();
    for (let i = 0; i < 20; i++) loss.answered(100, i % 2);
    expect(loss.answerRate()).toBe(0);
    expect(loss.limiting()).toBe(false);
    expect(loss.paceMs).toBe(0);
  });

  it('counts a lost ping as loss and a recent answered ping as a quiet path', () => {
    const loss = new LossMonitor();
    expect(loss.quiet(0, 500)).toBe(false);
    loss.pingAnswered(100);
    expect(loss.quiet(400, 500)).toBe(true);
    expect(loss.quiet(700, 500)).toBe(false);
    loss.pingLost(450, 550);
    expect(loss.quiet(560, 500)).toBe(false);
    expect(loss.lossEvents).toBe(1);
    // Lossy since the last answered ping (at 100), not only while the lost one was out.
    expect(loss.overlapsLoss(120, 130)).toBe(true);
    expect(loss.overlapsLoss(500, 600)).toBe(true);
    expect(loss.overlapsLoss(50, 99)).toBe(false);
    loss.pingAnswered(800);
    expect(loss.quiet(900, 500)).toBe(true);
  });

  it('keeps lossy spans merged and answers overlap questions on any of them', () => {
    const loss = new LossMonitor();
    // Retries answered at `end` whose previous attempt left at `start`: exact lossy spans.
    loss.answered(200, 1, 100);
    loss.answered(600, 1, 500);
    loss.answered(250, 1, 150);
    loss.answered(700, 1, 580);
    loss.answered(1100, 1, 1000);
    expect(loss.overlapsLoss(240, 260)).toBe(true);
    expect(loss.overlapsLoss(260, 499)).toBe(false);
    expect(loss.overlapsLoss(650, 650)).toBe(true);
    expect(loss.overlapsLoss(701, 999)).toBe(false);
    expect(loss.overlapsLoss(0, 5000)).toBe(true);
  });
});

describe('ResetLog', () => {
  it('proves a silence by resets to later probes, fast enough to rule out any rate limit', () => {
    const log = new ResetLog();
    // Probe 0 left at 10 ms and went unanswered; probes 1-20 left after it and were reset, read
    // 0.5 ms apart: 19 resets in 10 ms need a limit of 1,900 a second — not enough yet…
    for (let i = 1; i <= 20; i++) log.add(i, 10 + i * 0.5);
    expect(log.provesSilence(0, 10)).toBe(false);
    // …resets coming faster after them soon need more than any limit seen in the wild (2,000 a
    // second): 39 in 12 ms need 3,250 a second.
    for (let i = 21; i <= 40; i++) log.add(i, 20 + (i - 20) * 0.1);
    expect(log.provesSilence(0, 10)).toBe(true);
  });

  it('does not take resets that come at a limiter’s pace, or a burst after, for proof', () => {
    const limited = new ResetLog();
    // 10 resets a second, each to a probe sent after the silent one: what a limit lets through.
    for (let i = 1; i <= 30; i++) limited.add(i, i * 100);
    expect(limited.provesSilence(0, 0)).toBe(false);
    const reordered = new ResetLog();
    // A handful of resets at once (a full bucket, or SYNs that overtook the silent one): too few.
    for (let i = 1; i <= 7; i++) reordered.add(i, 1);
    expect(reordered.provesSilence(0, 0.5)).toBe(false);
  });

  it('counts only resets to probes launched after the silent one, and read after it left', () => {
    const log = new ResetLog();
    // Resets to earlier probes (sequence below 100), read after the silent one left: no proof.
    for (let i = 0; i < 50; i++) log.add(i, 100 + i * 0.01);
    expect(log.provesSilence(100, 99)).toBe(false);
    // Resets to later probes, but read before the silent one left: no proof either.
    expect(log.provesSilence(-1, 101)).toBe(false);
    expect(log.provesSilence(-1, 99)).toBe(true);
    expect(log.size).toBe(50);
  });
});

describe('ProgressMeter', () => {
  it('reports settled probes and open ports, only when they change, with an ETA after a while', () => {
    const meter = new ProgressMeter(1000);
    expect(meter.snapshot(0)).toEqual({ done: 0, total: 1000, openFound: 0 });
    expect(meter.snapshot(10)).toBeUndefined();
    meter.settle(100);
    meter.foundOpen();
    // Too early for an estimate.
    expect(meter.snapshot(200)).toEqual({ done: 100, total: 1000, openFound: 1 });
    meter.settle(150);
    // 250 settled in 500 ms: 750 left take 1500 ms at that pace.
    expect(meter.snapshot(500)).toEqual({ done: 250, total: 1000, etaMs: 1500, openFound: 1 });
    expect(meter.snapshot(600, true)).toMatchObject({ done: 250 });
  });
});
