import { describe, expect, it } from 'vitest';
import { contact, user } from '../../test/helpers/facts.ts';
import { matchContacts, normaliseKey } from './match-contacts.ts';

const byEmail = [{ docebo: 'email', salesforce: 'Email' }];

describe('matchContacts', () => {
  it('links by email, ignoring case and spaces', () => {
    const c = contact(1, { email: ' Charlie.Brown@ACME.example ' });
    const u = user(1, { email: 'charlie.brown@acme.example' });
    const r = matchContacts([c], [u, user(2)], byEmail);
    expect(r.matched).toEqual([{ contact: c, user: u, matchedOn: 'email' }]);
    expect(r.unmatched).toEqual([]);
  });

  it('reports a contact with no Docebo user as unmatched', () => {
    const r = matchContacts([contact(1)], [user(2)], byEmail);
    expect(r.unmatched.map((c) => c.name)).toEqual(['Person 1']);
    expect(r.matched).toEqual([]);
  });

  it('reports a contact with no email as unmatched rather than matching empty values', () => {
    const r = matchContacts([contact(1, { email: null })], [user(1, { email: null })], byEmail);
    expect(r.unmatched).toHaveLength(1);
  });

  it('reports two Docebo users with the same email as ambiguous, with both candidates', () => {
    const r = matchContacts([contact(1)], [user(1), user(2, { email: 'PERSON1@example.com' })], byEmail);
    expect(r.matched).toEqual([]);
    expect(r.ambiguous).toHaveLength(1);
    expect(r.ambiguous[0]?.candidates.map((u) => u.username).sort()).toEqual(['user1', 'user2']);
  });

  it('reports two contacts claiming one Docebo user as ambiguous for both', () => {
    const a = contact(1);
    const b = contact(2, { email: 'person1@example.com' });
    const r = matchContacts([a, b], [user(1)], byEmail);
    expect(r.matched).toEqual([]);
    expect(r.ambiguous.map((x) => x.rivals)).toEqual([[b.id], [a.id]]);
  });

  it('tries keys in order: the contact id field first, then email', () => {
    const keys = [
      { docebo: 'field_1', salesforce: 'Id' },
      { docebo: 'email', salesforce: 'Email' },
    ];
    const c = contact(1, { email: 'x@example.com' });
    c.fields.Id = c.id;
    // The Docebo field holds the 15-char form of the id; it still matches the 18-char one.
    const byId = user(1, { email: 'other@example.com', fields: { field_1: c.id.slice(0, 15) } });
    const byMail = user(2, { email: 'x@example.com' });
    const r = matchContacts([c], [byMail, byId], keys);
    expect(r.matched[0]?.user.username).toBe('user1');
    expect(r.matched[0]?.matchedOn).toBe('field_1');
  });

  it('normalises keys', () => {
    expect(normaliseKey('  A@B.C ')).toBe('a@b.c');
    expect(normaliseKey('')).toBeNull();
    expect(normaliseKey(null)).toBeNull();
    expect(normaliseKey('001D000000IRFma')).toBe('001d000000irfmaiah');
  });
});
