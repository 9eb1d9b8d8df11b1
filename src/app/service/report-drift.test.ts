import { describe, expect, it } from 'vitest';
import { contact, d, user } from '../../../test/helpers/facts.ts';
import type { NewAuditRecord } from '../../domain/audit.ts';
import type { PlanItem } from '../../domain/plan.ts';
import type { ApplyResult } from '../../executor/apply-plan.ts';
import type { Alert } from '../../ports/alerter.ts';
import { reportDrift } from './report-drift.ts';
import type { RosterContext } from '../roster-context.ts';

function item(n: number, drift: boolean): PlanItem {
  const u = user(n);
  const c = contact(n);
  return {
    key: `${c.id}:${u.id}`,
    userId: u.id,
    username: u.username,
    contact: { id: c.id, name: c.name, email: c.email },
    account: null,
    before: { active: true, expirationDate: null },
    after: { active: false, expirationDate: d('2026-10-31') },
    reasons: [{ rule: 'contact-left', effectiveDate: d('2026-10-31'), dateFrom: 'field', facts: {} }],
    action: 'retire',
    ...(drift ? { drift: true } : {}),
  };
}

function world(failAudit = false) {
  const alerts: Alert[] = [];
  const audit: NewAuditRecord[] = [];
  const ctx = {
    clock: { now: () => new Date('2026-11-24T10:00:00Z') },
    store: {
      audit: {
        append: async (r: NewAuditRecord[]) => {
          if (failAudit) throw new Error('disk full');
          audit.push(...r);
        },
      },
    },
  } as unknown as RosterContext;
  return { ctx, alerts, audit, alerter: { send: async (a: Alert) => void alerts.push(a) } };
}

const result = (items: PlanItem[]): ApplyResult => ({
  runId: 'run-9',
  status: 'succeeded',
  applied: items.length,
  failed: 0,
  outcomes: items.map((i) => ({ item: i, ok: true, error: null })),
});

describe('reportDrift', () => {
  it('alerts once and audits each drift item of an applied plan', async () => {
    const w = world();
    const n = await reportDrift(w.ctx, w.alerter, {
      planId: 'plan-9',
      result: result([item(1, true), item(2, false)]),
    });
    expect(n).toBe(1);
    expect(w.alerts).toHaveLength(1);
    expect(w.alerts[0]).toMatchObject({
      kind: 'drift',
      severity: 'warning',
      details: {
        planId: 'plan-9',
        runId: 'run-9',
        count: 1,
        users: [{ username: 'user1', rules: ['contact-left'] }],
      },
    });
    expect(w.audit).toEqual([
      expect.objectContaining({
        kind: 'drift',
        ref: `user:${user(1).id}`,
        payload: expect.objectContaining({ retiredAgain: true }),
      }),
    ]);
  });

  it('says nothing without drift, and still alerts when the audit log cannot be written', async () => {
    const quiet = world();
    expect(
      await reportDrift(quiet.ctx, quiet.alerter, { planId: 'p', result: result([item(1, false)]) }),
    ).toBe(0);
    expect(await reportDrift(quiet.ctx, quiet.alerter, { planId: 'p', result: null })).toBe(0);
    expect(quiet.alerts).toEqual([]);
    const broken = world(true);
    await reportDrift(broken.ctx, broken.alerter, { planId: 'p', result: result([item(1, true)]) });
    expect(broken.alerts[0]?.details).toMatchObject({ auditError: 'disk full' });
  });
});
