import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { porticoMigrations as migrations } from '../../src/app/portico-migrations.ts';

/**
 * The SQL each applied migration sends, as sha256 of its statements (text and parameters, in
 * order). An applied migration is never edited; refactoring one to share text (shared-columns.ts)
 * must leave what it sends byte for byte the same. A new migration is pinned here when it is added.
 */
const APPLIED: Record<string, string> = {
  '0001-outbox': '2627462ca622a1064dbdeabd428f82b719760ea1e7ec775f514ba950282c7140',
  '0002-core-bank': 'd194b8af7b2cef1213c04c71fdcab97a97c1faad1427a7673329e535006e904e',
  '0003-psu-identity': '1c14b457a7483495f10865d54fc8ce073d2e16136e77d659832719e0464acfb7',
  '0004-directory': '023e9a9156603f83adf4ea4b5c66c35949645cf4f6f045076dd4569a915932f6',
  '0005-auth': '1b0189c36b21adab90c1018864fda1320dc0ef66d08e7b48395c264950118c76',
  '0006-consents': '1a5e689b9fe4053ca530b7090ea82b197e0d00bc7205e0882ece2630502b6518',
  '0007-psu-interactions': 'b0a81444c52b81e8d97c3d6b081fc90b7dd1feb92a1721b8afbebc9028899fbe',
  '0008-psu-passkeys': '306d48581b8b90da389420d0f0ec484133f9fd19fa2858703b31cefa38df7ab6',
  '0009-ais-account-refs': 'eebce21afa4bc4f961f349949f00a1fe9fd92c228089d7bf684a5f5b79716400',
  '0010-idempotency-keys': '79d07565e7aec3017d10b15ca37464568c8a9b7950c60e2fa231e25cff7a42ac',
  '0011-scheduled-jobs': '5324ad8c55181e5172b350c4e353f8a5172326cd05d94d6ec15873c5df264371',
  '0012-payments': '1059603faa4d335692e61dcb34850afa1bdb2c32c0b27f2758382e42edcf97c3',
  '0014-domestic-vrps': '82b61d6e3807c9e0fc996d8e55a4444caf1aa15a913d137d42e092d543efa357',
  '0015-standing-orders': 'db49d9e5afb0f43c0f5716534963b41944b7bf2c93572ce55ad68450dfe3f517',
  '0016-payment-exchange-rates': '164bf5dcd30137814c1ab62b5f6e1058d789e8e8a187e06f55f61fb440053f4a',
  '0017-international-schedules': 'f9afd3e4d91b955551528ceccdfc7f774356094a18ed19196bca05beaca29e28',
  '0018-file-payments': 'ddb2cf7ee221bd1f2015e33bc4c8dc0fb50951a8e42af44cb78ba1136457da9d',
  '0019-standing-order-amounts': '11650b7ed58f6730138b5d2467501b1d2368b9a4129e843eb989734d2445f2e6',
  '0021-housekeeping-indexes': '75f38f031a5e9c789563c246bedcae66177a73cb76164ab9c2f672e56faf51ba',
  '0022-event-contract': '573bf5b6baef6262de712b17a48b190d680dcbc289bac126e290f1de43605523',
  '0023-processed-events': 'cd389138222c3a38cc372ac7b82546fda077529eaca82f9a32aedd3b7e31781c',
  '0024-payment-execution-saga': 'ab821a9099cf43e2966f09fe054734e83a268177fc3388bb4e180fcb84e406a0',
  '0027-neutral-ledger-schemes': '1ce3b3d6888694235209f4175363e0822b3c21e76762bff5b8572c2a63045dd7',
  '0028-neutral-consent-statuses': 'd640f7554338e1d467159a321806ca5b8bcd42ccf361441dc1c9f797a8ad9233',
  '0029-consent-access-scopes': '6cedcbd6a27db58533f73ab270a5fe8fdb3b209cade88060b48810c06bd508d2',
  '0030-neutral-payment-statuses': 'e547a565620ffff51b90c45b48bab87110d68180d389a817ccf1e36e1d8b2e32',
  '0031-neutral-standing-order-statuses': 'f2548073f86ee1a10bd8996ccea0a644834ddd54862dcf55f69755add892d4ad',
  '0032-ob-wire-bodies': 'a02397d320de6d2e7c7dec579d11766e15c45a85222e18aae7774b58e50a7b2b',
  '0033-drop-module-request-bodies': '76c2f1dd2b615b70e82925d039410c1f4bdc1d787344c55b3498fd36252542aa',
  '0034-account-read-model': '6b5190af73b8bcb664a4acb8fe53847c840bea0593bfb94613a2e9509b106a4e',
  '0035-processed-events-pruning': '5ceaf68ee2e7eec539a0821aae20c66e16c4e681b0e89289e512e04b7ed199e5',
  '0036-payment-file-entries-neutral': '937df971744adf76d140b686ea0e4966cb6f6f21d653f46c81cac8c8e4e6c813',
  '0037-event-notifications': '28e48f9f1fd1dbf8866f9dac707b75863dfe56046ad2b5e5dacb424588854658',
  '0038-event-correlation': '9202e3a51165d3209753cfc6deb00ba540c3bbee9171df70fb58f6d2391033f6',
  '0039-notification-retry-window': '3fffca6ff7ab7ea387d0747cddf2e4813ee9525ad597c11580427dea18a9866d',
  '0040-core-feed-cursor': 'e1dd6b495b0ca75d54b967445494314f6a6757ab710a956d1f0ac770308f1220',
  '0041-signing-key-activation': '7f2514bad3d306c2e811e66519eecae884ad24a96312025b42e9e5f21ec23381',
  '0042-data-encryption-keys': '33e56bdbe61c67f45a7af8ed8d7a4f04c02ffb9f638a13f27084d76aca94008c',
  '0043-tpp-registers': 'ec3f956a0ee36e25b96452b8b8ac9c74a25b1bcec23884a6019819c4a36b701e',
  '0044-trusted-lists': 'ae3c24fa90e694d734ad056ea2d37c9d28adb4af34b5267187cc4fabf86830d9',
  '0045-certificate-expiry-warnings': '6d9f63e732b1c318994ffeead199b71fdf9d677ae85fd8471850b3205cb678cf',
  '0046-sca-authorisations': 'a3fbc8d2a5d8b102afec04a0bf6f09c912ee1b038c88caeace10429b40aff829',
  '0047-xs2a-wire-bodies': '57b58c15802cb266a9bb7d45df1b342dfa1b41cf6ea2cdacbc47b2524f80949f',
  '0048-audit-trail': '693749a6ba9bfc96878dfb0ca63ab444ff021a8609ef0a36704cf89e158cebcc',
  '0049-api-kpis': 'b5ff6d67677a6d8fd3c33cc63cb0e1c2fad5e663e7aa212b780a446e3745f796',
  '0050-risk': 'bc04b7017166936be13da91b04d5c56ec3ac02d2641dab6afd594fca71609f53',
  '0051-operators': 'f871d50fed9ded58580f39f706690d9380a7221bb0d10e79122eab3386bf582a',
  '0052-latency-histograms': '89f49d2b3095d6eb8b891d9f0185d072c3247935dd8db3a2e08953df80aa9bce',
  '0053-operator-passkeys': '90940b29c58ae113286b781d38b86f75dd27d07009d17cfe63d9eef2ba3d5ce1',
  '0054-cancelled-payment-orders': 'ecf7c120f3e7605186a2b2f599777dd57de532ae0567c51202467bffc77b739e',
  '0055-consent-status-reasons': '2dcdd9ae61de53c2e70d4b410abed2a6c4a1d8776ac743d933182652da1d3e3c',
  '0056-card-accounts': '2895fbc0c6d2c157f4797e0449fdf6b013495003d9ef4a553ad431718929918f',
  '0057-signing-baskets': '1eaa17464598998f81a28dfa3643a15242400fad99ddc724226dcc4783381946',
  '0058-signing-basket-scas': '48401db0f307ff36745f1518e0589ab7e0c2d42ec3b7859a2ff7218edea073ec',
  '0059-standing-order-business-days': 'e4d57c375d7e04e76e3ec4acc95e7048f91b2cfe75388514dd5d24c11c1ff5e6',
  '0060-outbox-snapshot-windows': '43e444a1b9d4f2f1f2deb3c80540b68a19df484cc072a402345b25c6b8d8bc68',
  '0061-audit-records-time-order': '04525293c47a55b0638479f429dac6841b0d13d22c5b3a59c01f014c48ab7f0f',
  '0062-audit-verifications': '9a0d7b1fcfc76fb1f3857edd2708ca9cd2634c2fb16c15de762c4c5708824f39',
  '0063-risk-subjects-last-active': 'bf44358beb9d8798f30bbc5541247b561c018fd41089be65050fae453fe21397',
};

/** The statements a migration's `up` sends, against a driver that runs nothing. */
async function sqlOf(name: string): Promise<string> {
  const sent: string[] = [];
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      sent.push(`${event.query.sql}\n${JSON.stringify(event.query.parameters, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`);
    },
  });
  await migrations[name]!.up(db);
  return sent.join('\n;\n');
}

describe('applied migrations', () => {
  it('send exactly the SQL they sent when they were applied', async () => {
    for (const [name, sha256] of Object.entries(APPLIED)) {
      assert.ok(migrations[name], `${name} is still listed`);
      assert.equal(createHash('sha256').update(await sqlOf(name)).digest('hex'), sha256, name);
    }
  });

  it('are all pinned here: a new migration is pinned when it is added, since a release applies it', () => {
    assert.deepEqual(
      Object.keys(migrations).filter((name) => !(name in APPLIED)),
      [],
    );
  });
});
