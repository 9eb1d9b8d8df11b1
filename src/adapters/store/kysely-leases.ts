// Named leases over Kysely. Taking a lease is one conditional upsert: the row is written only when it
// is absent, expired or already ours, which both SQLite and PostgreSQL decide atomically, so two
// processes asking at once cannot both win.
import type { Kysely, Selectable } from 'kysely';
import type { Lease, LeaseClaimant, LeaseStore } from '../../ports/lease-store.ts';
import type { LeasesTable, StoreDatabase } from './store-schema.ts';
import { instant } from './store-transactions.ts';

const plus = (now: string, ms: number) => new Date(Date.parse(now) + ms).toISOString();

const toLease = (r: Selectable<LeasesTable>): Lease => ({
  name: r.name,
  id: r.holder,
  host: r.host,
  pid: Number(r.pid),
  role: r.role,
  acquiredAt: r.acquired_at,
  renewedAt: r.renewed_at,
  expiresAt: r.expires_at,
});

export class KyselyLeases implements LeaseStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async acquire(
    name: string,
    claimant: LeaseClaimant,
    now: string,
    ttlMs: number,
  ): Promise<{ acquired: boolean; lease: Lease }> {
    const at = instant(now);
    await this.db
      .insertInto('leases')
      .values({
        name,
        holder: claimant.id,
        host: claimant.host,
        pid: claimant.pid,
        role: claimant.role,
        acquired_at: at,
        renewed_at: at,
        expires_at: plus(at, ttlMs),
      })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            host: eb.ref('excluded.host'),
            pid: eb.ref('excluded.pid'),
            role: eb.ref('excluded.role'),
            // Renewing our own lease keeps the time we first took it.
            acquired_at: eb
              .case()
              .when('leases.holder', '=', claimant.id)
              .then(eb.ref('leases.acquired_at'))
              .else(eb.ref('excluded.acquired_at'))
              .end(),
            renewed_at: eb.ref('excluded.renewed_at'),
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where((eb) => eb.or([eb('leases.expires_at', '<=', at), eb('leases.holder', '=', claimant.id)])),
      )
      .execute();
    const lease = await this.get(name);
    if (!lease) throw new Error(`lease ${name} vanished while it was taken`);
    return { acquired: lease.id === claimant.id, lease };
  }

  async renew(name: string, holderId: string, now: string, ttlMs: number): Promise<boolean> {
    const at = instant(now);
    const result = await this.db
      .updateTable('leases')
      .set({ renewed_at: at, expires_at: plus(at, ttlMs) })
      .where('name', '=', name)
      .where('holder', '=', holderId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(name: string, holderId: string): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holderId).execute();
  }

  async get(name: string): Promise<Lease | null> {
    const row = await this.db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toLease(row) : null;
  }
}
