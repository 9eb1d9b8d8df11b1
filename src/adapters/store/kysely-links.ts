// Contact ↔ Docebo user links and first sightings of rules, over Kysely.
import type { Kysely } from 'kysely';
import type { ContactId } from '../../domain/ids.ts';
import type { Link, RuleObservation } from '../../domain/link.ts';
import type { LinkStore, SightingStore } from '../../ports/store.ts';
import { linkToRow, observationToRow, rowToLink, rowToObservation } from './row-mapping.ts';
import type { StoreDatabase } from './store-schema.ts';
import { chunk, ROWS_PER_INSERT } from './store-transactions.ts';
import { lastByKey } from './kysely-user-cache.ts';

export class KyselyLinks implements LinkStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async list(): Promise<Link[]> {
    const rows = await this.db.selectFrom('links').selectAll().orderBy('contact_id').execute();
    return rows.map(rowToLink);
  }

  async replace(links: Link[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('links').execute();
      for (const part of chunk(links.map(linkToRow), ROWS_PER_INSERT)) {
        await trx.insertInto('links').values(part).execute();
      }
    });
  }

  async upsert(links: Link[]): Promise<void> {
    // PostgreSQL refuses to update one row twice in a statement, so a contact listed twice keeps its last.
    const rows = lastByKey(links, (l) => l.contactId).map(linkToRow);
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunk(rows)) {
        await trx
          .insertInto('links')
          .values(part)
          .onConflict((oc) =>
            oc.column('contact_id').doUpdateSet((eb) => ({
              user_id: eb.ref('excluded.user_id'),
              matched_on: eb.ref('excluded.matched_on'),
              linked_at: eb.ref('excluded.linked_at'),
            })),
          )
          .execute();
      }
    });
  }
}

export class KyselySightings implements SightingStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async list(): Promise<RuleObservation[]> {
    const rows = await this.db
      .selectFrom('rule_observations')
      .selectAll()
      .orderBy('contact_id')
      .orderBy('rule')
      .execute();
    return rows.map(rowToObservation);
  }

  async update(add: RuleObservation[], remove: { contactId: ContactId; rule: string }[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      // Forget first, so a rule listed in both (it stopped and started holding again) is kept.
      for (const part of chunk(remove, ROWS_PER_INSERT)) {
        await trx
          .deleteFrom('rule_observations')
          .where((eb) =>
            eb(
              eb.refTuple('contact_id', 'rule'),
              'in',
              part.map((r) => eb.tuple(r.contactId, r.rule)),
            ),
          )
          .execute();
      }
      // A first sighting may move earlier (a backfill found an older one) but never later.
      for (const part of chunk(add.map(observationToRow), ROWS_PER_INSERT)) {
        await trx
          .insertInto('rule_observations')
          .values(part)
          .onConflict((oc) =>
            oc
              .columns(['contact_id', 'rule'])
              .doUpdateSet((eb) => ({ first_seen: eb.ref('excluded.first_seen') }))
              .where((eb) => eb('rule_observations.first_seen', '>', eb.ref('excluded.first_seen'))),
          )
          .execute();
      }
    });
  }
}
