import { TestClock } from '../../../test/helpers/test-clock.ts';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../ports/alerter.ts';
import type { FeedHealth } from '../../domain/work.ts';
import { HealthMonitor, checkHealth, type HealthInputs, type WatchedFeed } from './health-monitor.ts';

const START = Date.parse('2025-06-01T09:00:00.000Z');
const MIN = 60_000;
const at = (ms: number) => new Date(START + ms);
const iso = (ms: number) => at(ms).toISOString();

function feed(over: Partial<FeedHealth> = {}, watch: Partial<WatchedFeed> = {}): WatchedFeed {
  return {
    health: {
      feed: 'poll',
      state: 'ok',
      lastHeartbeatAt: iso(0),
      lastEventAt: null,
      lagMs: null,
      events: 0,
      consecutiveFailures: 0,
      error: null,
      ...over,
    },
    enabled: true,
    intervalMs: MIN,
    ...watch,
  };
}

function inputs(over: Partial<HealthInputs> = {}): HealthInputs {
  return {
    storeReachable: true,
    feeds: [feed()],
    salesforceLastOkAt: iso(0),
    doceboLastOkAt: iso(0),
    deadLetters: 0,
    consecutiveApplyFailures: 0,
    ...over,
  };
}

const monitor = () => new HealthMonitor({ startedAt: at(0) });

describe('HealthMonitor readiness', () => {
  const cases: { name: string; now: number; input: HealthInputs; problems: RegExp[] }[] = [
    { name: 'all well', now: MIN, input: inputs(), problems: [] },
    { name: 'store unreachable', now: MIN, input: inputs({ storeReachable: false }), problems: [/store/] },
    {
      name: 'poll heartbeat older than 3 × interval',
      now: 3 * MIN + 1,
      input: inputs({ salesforceLastOkAt: iso(3 * MIN), doceboLastOkAt: iso(3 * MIN) }),
      problems: [/feed poll stalled/],
    },
    {
      name: 'heartbeat exactly 3 × interval old is not yet a stall',
      now: 3 * MIN,
      input: inputs(),
      problems: [],
    },
    {
      name: 'explicit stallAfterMs wins over the interval',
      now: 2 * MIN,
      input: inputs({ feeds: [feed({}, { stallAfterMs: MIN })] }),
      problems: [/feed poll stalled/],
    },
    {
      name: 'a feed without heartbeats (outbound messages) never stalls',
      now: 14 * MIN,
      input: inputs({
        feeds: [feed({ feed: 'outbound', lastHeartbeatAt: null }, { intervalMs: null })],
        salesforceLastOkAt: iso(14 * MIN),
        doceboLastOkAt: iso(14 * MIN),
      }),
      problems: [],
    },
    {
      name: 'a feed that never beat is measured from the start',
      now: 4 * MIN,
      input: inputs({ feeds: [feed({ lastHeartbeatAt: null, state: 'starting' })] }),
      problems: [/no heartbeat since the start/],
    },
    {
      name: 'failing after N consecutive failures',
      now: MIN,
      input: inputs({ feeds: [feed({ consecutiveFailures: 3, error: 'INVALID_SESSION_ID' })] }),
      problems: [/feed poll failing.*INVALID_SESSION_ID/],
    },
    {
      name: 'two failures are not yet failing',
      now: MIN,
      input: inputs({ feeds: [feed({ consecutiveFailures: 2 })] }),
      problems: [],
    },
    {
      name: 'state failed is failing',
      now: MIN,
      input: inputs({ feeds: [feed({ state: 'failed' })] }),
      problems: [/failing/],
    },
    {
      name: 'a disabled feed is ignored',
      now: 60 * MIN,
      input: inputs({
        feeds: [feed({ state: 'failed' }, { enabled: false })],
        salesforceLastOkAt: iso(59 * MIN),
        doceboLastOkAt: iso(59 * MIN),
      }),
      problems: [],
    },
    {
      name: 'never contacted during the startup grace is fine',
      now: 4 * MIN,
      input: inputs({ feeds: [], salesforceLastOkAt: null, doceboLastOkAt: null }),
      problems: [],
    },
    {
      name: 'never contacted after the startup grace',
      now: 6 * MIN,
      input: inputs({ feeds: [], salesforceLastOkAt: null, doceboLastOkAt: null }),
      problems: [/Salesforce has not answered since the start/, /Docebo has not answered since the start/],
    },
    {
      name: 'Docebo silent for more than 15 min',
      now: 16 * MIN,
      input: inputs({ feeds: [], salesforceLastOkAt: iso(16 * MIN) }),
      problems: [/Docebo has not answered for 16 min/],
    },
    {
      name: 'dead letters',
      now: MIN,
      input: inputs({ deadLetters: 2 }),
      problems: [/2 dead letter/],
    },
    {
      name: 'repeated apply failures',
      now: MIN,
      input: inputs({ consecutiveApplyFailures: 3 }),
      problems: [/3 apply batches failed/],
    },
  ];

  it.each(cases)('$name', ({ now, input, problems }) => {
    const result = monitor().evaluate(at(now), input);
    expect(result.problems).toHaveLength(problems.length);
    problems.forEach((re, i) => expect(result.problems[i]).toMatch(re));
    expect(result.ready).toBe(problems.length === 0);
  });
});

describe('HealthMonitor alerts', () => {
  type Step = { now: number; input: HealthInputs; alerts: Alert['kind'][] };
  const sequences: { name: string; steps: Step[] }[] = [
    {
      name: 'stall fires once, then recovery once',
      steps: [
        { now: MIN, input: inputs(), alerts: [] },
        { now: 4 * MIN, input: inputs(), alerts: ['feed-stalled'] },
        { now: 5 * MIN, input: inputs(), alerts: [] },
        {
          now: 6 * MIN,
          input: inputs({ feeds: [feed({ lastHeartbeatAt: iso(6 * MIN) })] }),
          alerts: ['feed-recovered'],
        },
        { now: 6 * MIN, input: inputs({ feeds: [feed({ lastHeartbeatAt: iso(6 * MIN) })] }), alerts: [] },
      ],
    },
    {
      name: 'stalled then failing is a new bad state',
      steps: [
        { now: 4 * MIN, input: inputs(), alerts: ['feed-stalled'] },
        {
          now: 4 * MIN,
          input: inputs({ feeds: [feed({ consecutiveFailures: 5 })] }),
          alerts: ['feed-failing'],
        },
        { now: 4 * MIN, input: inputs({ feeds: [feed({ consecutiveFailures: 6 })] }), alerts: [] },
      ],
    },
    {
      name: 'dead letters alert when the count rises, not for those present at start',
      steps: [
        { now: MIN, input: inputs({ deadLetters: 4 }), alerts: [] },
        { now: MIN, input: inputs({ deadLetters: 4 }), alerts: [] },
        { now: MIN, input: inputs({ deadLetters: 5 }), alerts: ['dead-letter'] },
        { now: MIN, input: inputs({ deadLetters: 0 }), alerts: [] },
        { now: MIN, input: inputs({ deadLetters: 1 }), alerts: ['dead-letter'] },
      ],
    },
    {
      name: 'apply failures alert on entering and on recovery',
      steps: [
        { now: MIN, input: inputs({ consecutiveApplyFailures: 3 }), alerts: ['apply-failures'] },
        { now: MIN, input: inputs({ consecutiveApplyFailures: 4 }), alerts: [] },
        { now: MIN, input: inputs({ consecutiveApplyFailures: 0 }), alerts: ['apply-failures'] },
      ],
    },
    {
      name: 'disabling a bad feed forgets it; re-enabling a healthy one says nothing',
      steps: [
        { now: MIN, input: inputs({ feeds: [feed({ state: 'failed' })] }), alerts: ['feed-failing'] },
        { now: MIN, input: inputs({ feeds: [feed({ state: 'stopped' })] }), alerts: [] },
        { now: MIN, input: inputs(), alerts: [] },
      ],
    },
  ];

  it.each(sequences)('$name', ({ steps }) => {
    const m = monitor();
    for (const step of steps) {
      const { transitions } = m.evaluate(at(step.now), step.input);
      expect(transitions.map((a) => a.kind)).toEqual(step.alerts);
      for (const a of transitions) expect(a.at).toBe(at(step.now).toISOString());
    }
  });

  it('severities: bad states are critical, recovery is info', () => {
    const m = monitor();
    const bad = m.evaluate(at(MIN), inputs({ feeds: [feed({ state: 'failed', error: 'boom' })] }));
    expect(bad.transitions[0]).toMatchObject({ kind: 'feed-failing', severity: 'critical' });
    expect(bad.transitions[0]?.summary).toContain('boom');
    const good = m.evaluate(at(MIN), inputs());
    expect(good.transitions[0]).toMatchObject({ kind: 'feed-recovered', severity: 'info' });
  });

  it('checkHealth sends transitions on the injected clock and survives a failing alerter', async () => {
    const sent: Alert[] = [];
    const clock = new TestClock(at(4 * MIN));
    const alerter = {
      send: async (a: Alert) => {
        sent.push(a);
        throw new Error('webhook down');
      },
    };
    const result = await checkHealth(monitor(), clock, alerter, inputs());
    expect(result.ready).toBe(false);
    expect(sent.map((a) => a.kind)).toEqual(['feed-stalled']);
  });
});
