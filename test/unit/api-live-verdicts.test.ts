import { describe, expect, it } from 'vitest';
import { LiveVerdicts } from '../../app/api/live-verdicts.js';
import type { HostAssessment, HostResult, Severity } from '../../app/contract/index.js';
import { assessHosts } from '../../app/risk/assess.js';
import { knowledgeBase } from '../../app/risk/knowledge-base.js';

/** A LiveVerdicts on a clock this test turns by hand, with the real verdict rules. */
function harness() {
  const due: (() => void)[] = [];
  const assessed: string[][] = [];
  const sent: { hosts: HostAssessment[]; counts: Record<Severity, number> }[] = [];
  const live = new LiveVerdicts(
    async (hosts: HostResult[]) => {
      assessed.push(hosts.map((h) => h.address));
      return assessHosts(hosts, [], knowledgeBase());
    },
    (hosts, counts) => sent.push({ hosts, counts }),
    (run) => {
      due.push(run);
      return () => due.splice(due.indexOf(run), 1);
    },
  );
  const tick = async () => {
    for (const run of due.splice(0)) run();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { live, due, assessed, sent, tick };
}

const port = (address: string, n: number, state: 'open' | 'closed' = 'open') =>
  ({
    type: 'port',
    scanId: 's',
    address,
    result: {
      port: n,
      protocol: 'tcp',
      state,
      reason: state === 'open' ? 'syn-ack' : 'conn-refused',
    },
  }) as const;

describe('verdicts while a scan runs', () => {
  it('assesses the hosts whose open ports changed, once per period, with running counts', async () => {
    const { live, due, assessed, sent, tick } = harness();
    live.see({
      type: 'host',
      scanId: 's',
      address: '10.0.0.2',
      isLocal: false,
      status: 'up',
      reason: 'syn-ack',
    });
    live.see(port('10.0.0.2', 23));
    live.see(port('10.0.0.2', 80));
    live.see(port('10.0.0.3', 81, 'closed'));
    // One period for any number of ports; a closed port asks for nothing.
    expect(due).toHaveLength(1);
    await tick();
    expect(assessed).toEqual([['10.0.0.2']]);
    expect(sent[0]?.hosts.map((h) => [h.address, h.worst])).toEqual([['10.0.0.2', 'critical']]);
    expect(sent[0]?.counts.critical).toBe(1);

    live.see(port('10.0.0.3', 23));
    await tick();
    expect(assessed[1]).toEqual(['10.0.0.3']);
    // Counts over every host assessed so far, not only the last batch.
    expect(sent[1]?.counts.critical).toBe(2);
  });

  it('sends nothing once stopped (the kept scan’s verdicts come with its pages)', async () => {
    const { live, due, sent, tick } = harness();
    live.see(port('10.0.0.2', 23));
    live.stop();
    expect(due).toHaveLength(0);
    live.see(port('10.0.0.2', 445));
    await tick();
    expect(sent).toEqual([]);
  });
});
