import { sql, type Kysely } from 'kysely';

/**
 * Account-access consents keep a neutral access scope (src/modules/consents `AccessScope`) in
 * `access` instead of UK Open Banking permission codes in `permissions`: which data clusters at
 * which level (`basic` | `detail`; a cluster asked for at both is `detail`), and the transaction
 * directions. The transaction window keeps its columns. The OB facade echoes the codes the TPP
 * sent from the request it kept, so what TPPs read is unchanged.
 */
const CODES = [
  ['ReadAccountsBasic', 'accounts', 'basic'],
  ['ReadAccountsDetail', 'accounts', 'detail'],
  ['ReadBalances', 'balances', 'basic'],
  ['ReadBeneficiariesBasic', 'beneficiaries', 'basic'],
  ['ReadBeneficiariesDetail', 'beneficiaries', 'detail'],
  ['ReadDirectDebits', 'direct-debits', 'basic'],
  ['ReadOffers', 'offers', 'basic'],
  ['ReadPAN', 'pan', 'basic'],
  ['ReadParty', 'parties', 'basic'],
  ['ReadPartyPSU', 'party-psu', 'basic'],
  ['ReadProducts', 'products', 'basic'],
  ['ReadScheduledPaymentsBasic', 'scheduled-payments', 'basic'],
  ['ReadScheduledPaymentsDetail', 'scheduled-payments', 'detail'],
  ['ReadStandingOrdersBasic', 'standing-orders', 'basic'],
  ['ReadStandingOrdersDetail', 'standing-orders', 'detail'],
  ['ReadStatementsBasic', 'statements', 'basic'],
  ['ReadStatementsDetail', 'statements', 'detail'],
  ['ReadTransactionsBasic', 'transactions', 'basic'],
  ['ReadTransactionsDetail', 'transactions', 'detail'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE consents ADD COLUMN access jsonb`.execute(db);
  const codes = sql.join(CODES.map(([code, cluster, level]) => sql`(${code}, ${cluster}, ${level})`));
  // 'detail' > 'basic': max() keeps the fuller level of a cluster asked for at both.
  await sql`
    UPDATE consents SET access = jsonb_build_object(
      'clusters', (
        SELECT coalesce(jsonb_object_agg(granted.cluster, granted.level), '{}'::jsonb)
        FROM (
          SELECT code.cluster, max(code.level) AS level
          FROM jsonb_array_elements_text(consents.permissions) AS asked(permission)
          JOIN (VALUES ${codes}) AS code(permission, cluster, level) ON code.permission = asked.permission
          GROUP BY code.cluster
        ) AS granted
      ),
      'directions', jsonb_build_object('credits', consents.permissions ? 'ReadTransactionsCredits', 'debits', consents.permissions ? 'ReadTransactionsDebits'),
      'accounts', 'psu-selects'
    )
    WHERE kind = 'account-access'`.execute(db);
  await sql`ALTER TABLE consents DROP COLUMN permissions`.execute(db);
}
