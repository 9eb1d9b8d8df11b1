import { describe, expect, it } from 'vitest';
import { contact, d, user } from '../../test/helpers/facts.ts';
import type { JournalAction } from '../domain/journal.ts';
import type { AccessState, LmsUser } from '../domain/lms.ts';
import type { OwnershipRecord } from '../domain/ownership.ts';
import { restoresNotTaken } from './restore-check.ts';

const LISTED_AT = '2026-11-24T03:00:00.000Z';
const NOW_LISTING = '2026-11-25T03:00:00.000Z';
const AFTER_LISTING = '2026-11-24T10:00:00.000Z';
const BEFORE_LISTING = '2026-11-23T10:00:00.000Z';

const retired: AccessState = { active: false, expirationDate: d('2026-10-31') };
const open: AccessState = { active: true, expirationDate: null };

function record(
  over: { action?: JournalAction; before?: AccessState; after?: AccessState; at?: string } = {},
): OwnershipRecord {
  const u = user(1);
  return {
    userId: u.id,
    username: u.username,
    contactId: contact(1).id,
    accountId: null,
    action: over.action ?? 'restore',
    before: over.before ?? retired,
    after: over.after ?? open,
    reasons: [],
    runId: 'run-1',
    entryId: 7,
    at: over.at ?? AFTER_LISTING,
  };
}

const found = (state: AccessState, expired = false): LmsUser => user(1, { ...state, expired });

describe('restoresNotTaken', () => {
  const cases: [
    string,
    OwnershipRecord,
    LmsUser,
    { stillInactive: boolean; expirationStillSet: boolean } | null,
  ][] = [
    ['a restore that took', record(), found(open), null],
    [
      'the expiration date stayed (an ignored empty value)',
      record(),
      found({ active: true, expirationDate: d('2026-10-31') }, true),
      { stillInactive: false, expirationStillSet: true },
    ],
    [
      'still inactive',
      record(),
      found({ active: false, expirationDate: null }),
      { stillInactive: true, expirationStillSet: false },
    ],
    ['nothing of it took', record(), found(retired, true), { stillInactive: true, expirationStillSet: true }],
    [
      'a restore to an earlier state with a later date: the date did not move',
      record({ after: { active: true, expirationDate: d('2027-12-31') } }),
      found({ active: true, expirationDate: d('2026-10-31') }),
      { stillInactive: false, expirationStillSet: true },
    ],
    [
      'more access than restored (no date at all) is not a failure',
      record({ after: { active: true, expirationDate: d('2027-12-31') } }),
      found(open),
      null,
    ],
    [
      'an undo that gave access back is checked too',
      record({ action: 'undo' }),
      found(retired),
      { stillInactive: true, expirationStillSet: true },
    ],
    [
      'a retirement is not a restore',
      record({ action: 'retire', before: open, after: retired }),
      found(open),
      null,
    ],
    [
      'an undo that took access away is not a restore',
      record({ action: 'undo', before: open, after: retired }),
      found(open),
      null,
    ],
    [
      'only the part the restore changed counts (it left the date alone)',
      record({
        before: { active: false, expirationDate: d('2030-01-01') },
        after: { active: true, expirationDate: d('2030-01-01') },
      }),
      found({ active: true, expirationDate: d('2029-01-01') }),
      null,
    ],
    [
      'not yet: made while this listing ran (it may have read Docebo before the write)',
      record({ at: NOW_LISTING }),
      found(retired),
      null,
    ],
    [
      'made in the millisecond the previous listing began: this listing checks it',
      record({ at: LISTED_AT }),
      found(retired),
      { stillInactive: true, expirationStillSet: true },
    ],
    [
      'checked once: a restore before the previous listing was checked by it',
      record({ at: BEFORE_LISTING }),
      found(retired),
      null,
    ],
  ];

  it.each(cases)('%s', (_name, rec, listed, expected) => {
    const out = restoresNotTaken({
      ownership: [rec],
      previousListingAt: LISTED_AT,
      listingAt: NOW_LISTING,
      users: [listed],
    });
    if (expected === null) expect(out).toEqual([]);
    else
      expect(out).toEqual([
        {
          record: rec,
          found: { active: listed.active, expirationDate: listed.expirationDate, expired: listed.expired },
          ...expected,
        },
      ]);
  });

  it('checks nothing without an earlier listing, and skips users Docebo no longer lists', () => {
    expect(
      restoresNotTaken({
        ownership: [record()],
        previousListingAt: null,
        listingAt: NOW_LISTING,
        users: [found(retired)],
      }),
    ).toEqual([]);
    expect(
      restoresNotTaken({
        ownership: [record()],
        previousListingAt: LISTED_AT,
        listingAt: NOW_LISTING,
        users: [],
      }),
    ).toEqual([]);
  });
});
