import { describe, expect, it } from 'vitest';
import type { AccessState } from '../domain/lms.ts';
import type { Reason, RetireMode } from '../domain/plan.ts';
import { d } from '../../test/helpers/facts.ts';
import { desiredAccess } from './desired-access.ts';

const reason = (date: string, rule = 'account-retired'): Reason => ({
  rule,
  effectiveDate: d(date),
  dateFrom: 'field',
  facts: {},
});
const state = (active: boolean, expirationDate: string | null): AccessState => ({
  active,
  expirationDate: expirationDate === null ? null : d(expirationDate),
});
const today = d('2026-11-24');

describe('desiredAccess', () => {
  const cases: [string, RetireMode, AccessState, Reason[], AccessState][] = [
    ['no rule holds: unchanged', 'expire-and-deactivate', state(true, null), [], state(true, null)],
    [
      'no rule holds: an inactive user stays inactive',
      'expire-and-deactivate',
      state(false, null),
      [],
      state(false, null),
    ],
    [
      'past date: expire and deactivate',
      'expire-and-deactivate',
      state(true, null),
      [reason('2026-10-31')],
      state(false, '2026-10-31'),
    ],
    [
      'date today: deactivate today',
      'expire-and-deactivate',
      state(true, null),
      [reason('2026-11-24')],
      state(false, '2026-11-24'),
    ],
    [
      'future date: stays active, expires then',
      'expire-and-deactivate',
      state(true, null),
      [reason('2026-12-31')],
      state(true, '2026-12-31'),
    ],
    [
      'earliest of several reasons wins',
      'expire-and-deactivate',
      state(true, null),
      [reason('2027-01-31'), reason('2026-12-15', 'contact-left')],
      state(true, '2026-12-15'),
    ],
    [
      'never extends an earlier expiration',
      'expire-and-deactivate',
      state(true, '2026-12-01'),
      [reason('2027-06-30')],
      state(true, '2026-12-01'),
    ],
    [
      'moves a later expiration earlier',
      'expire-and-deactivate',
      state(true, '2027-12-31'),
      [reason('2026-12-31')],
      state(true, '2026-12-31'),
    ],
    [
      'expire mode: only the date, even when past',
      'expire',
      state(true, null),
      [reason('2026-10-31')],
      state(true, '2026-10-31'),
    ],
    [
      'deactivate mode: only the status',
      'deactivate',
      state(true, '2030-01-01'),
      [reason('2026-10-31')],
      state(false, '2030-01-01'),
    ],
    [
      'deactivate mode: future date does nothing yet',
      'deactivate',
      state(true, null),
      [reason('2026-12-31')],
      state(true, null),
    ],
    [
      'never activates a user deactivated by hand',
      'expire-and-deactivate',
      state(false, null),
      [reason('2026-12-31')],
      state(false, '2026-12-31'),
    ],
  ];
  it.each(cases)('%s', (_name, mode, before, reasons, expected) => {
    expect(desiredAccess(before, reasons, mode, today)).toEqual(expected);
  });
});
