import { coreGatewayWire as wire, toWireJson } from '../../gateway/index.ts';
import type {
  Account,
  AccountOrderChange,
  AccountOverview,
  AccountScheme,
  AccountTransaction,
  Balances,
  Beneficiary,
  CoreBanking,
  CorePaymentStatus,
  DirectDebit,
  HolderRole,
  Party,
  PaymentSubmission,
  Product,
  ScheduledPayment,
  StandingOrder,
  Statement,
  SubmissionAnswer,
  TransactionPage,
  TransactionQuery,
} from '../../ports/index.ts';
import type { Money } from '../../money.ts';
import type { CoreGatewayClient } from './core-gateway-client.ts';

const seg = encodeURIComponent;

/**
 * The bank's own core, reached through its core gateway (docs/core-gateway.openapi.yaml,
 * `CORE=remote`). Every port method is one call; all but `submit` are safe to repeat, and `submit`
 * is idempotent by its key, so each is retried after a failure (`CoreGatewayClient`). The core's
 * changes reach the platform through its change feed (`followCoreChanges`), so readers cache what
 * they read until a change says otherwise.
 */
export class RemoteCoreBanking implements CoreBanking {
  readonly emitsEvents = true;

  constructor(private readonly gateway: CoreGatewayClient) {}

  private get<T extends Parameters<CoreGatewayClient['call']>[2]['decode'] & object>(path: string, decode: T) {
    return this.gateway.call('GET', path, { decode, idempotent: true, notFoundIsAbsent: true });
  }

  private post<T extends Parameters<CoreGatewayClient['call']>[2]['decode'] & object>(path: string, body: unknown, decode: T, headers?: Record<string, string>) {
    return this.gateway.call('POST', path, { decode, body: toWireJson(body), idempotent: true, ...(headers ? { headers } : {}) });
  }

  async getParty(partyId: string): Promise<Party | undefined> {
    return this.get(`parties/${seg(partyId)}`, wire.partyWire);
  }

  async listAccountsOfParty(partyId: string): Promise<Account[]> {
    return (await this.get(`parties/${seg(partyId)}/accounts`, wire.accountListWire))?.accounts ?? [];
  }

  async listCardAccountsOfParty(partyId: string): Promise<Account[]> {
    return (await this.get(`parties/${seg(partyId)}/card-accounts`, wire.accountListWire))?.accounts ?? [];
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    return this.get(`accounts/${seg(accountId)}`, wire.accountWire);
  }

  async findAccountByIdentifier(scheme: AccountScheme, identification: string): Promise<Account | undefined> {
    const query = new URLSearchParams({ scheme, identification });
    return (await this.get(`accounts?${query.toString()}`, wire.accountListWire))?.accounts[0];
  }

  async listAccountHolders(accountId: string): Promise<Array<{ party: Party; role: HolderRole }>> {
    return (await this.get(`accounts/${seg(accountId)}/holders`, wire.holderListWire))?.holders ?? [];
  }

  async getBalances(accountId: string): Promise<Balances | undefined> {
    return this.get(`accounts/${seg(accountId)}/balances`, wire.balancesWire);
  }

  async getAccountOverviews(accountIds: readonly string[]): Promise<ReadonlyMap<string, AccountOverview>> {
    if (accountIds.length === 0) return new Map();
    const answer = await this.post('account-overviews', { accountIds }, wire.accountOverviewListWire);
    return new Map((answer?.overviews ?? []).map((overview) => [overview.account.id, overview]));
  }

  async listTransactions(accountIds: readonly string[], query: TransactionQuery): Promise<TransactionPage | undefined> {
    return this.gateway.call('POST', 'transactions/search', {
      body: toWireJson({ accountIds, ...query }),
      decode: wire.transactionPageWire,
      idempotent: true,
      notFoundIsAbsent: true,
    });
  }

  async getTransaction(accountId: string, transactionId: string): Promise<AccountTransaction | undefined> {
    return this.get(`accounts/${seg(accountId)}/transactions/${seg(transactionId)}`, wire.transactionWire);
  }

  async listBeneficiaries(accountId: string): Promise<Beneficiary[]> {
    return (await this.get(`accounts/${seg(accountId)}/beneficiaries`, wire.beneficiaryListWire))?.beneficiaries ?? [];
  }

  async listDirectDebits(accountId: string): Promise<DirectDebit[]> {
    return (await this.get(`accounts/${seg(accountId)}/direct-debits`, wire.directDebitListWire))?.directDebits ?? [];
  }

  async listStandingOrders(accountId: string): Promise<StandingOrder[]> {
    return (await this.get(`accounts/${seg(accountId)}/standing-orders`, wire.standingOrderListWire))?.standingOrders ?? [];
  }

  async listScheduledPayments(accountId: string): Promise<ScheduledPayment[]> {
    return (await this.get(`accounts/${seg(accountId)}/scheduled-payments`, wire.scheduledPaymentListWire))?.scheduledPayments ?? [];
  }

  async listStatements(accountId: string, query: { from?: Date; to?: Date }): Promise<Statement[]> {
    const period = new URLSearchParams({ ...(query.from ? { from: query.from.toISOString() } : {}), ...(query.to ? { to: query.to.toISOString() } : {}) }).toString();
    return (await this.get(`accounts/${seg(accountId)}/statements${period ? `?${period}` : ''}`, wire.statementListWire))?.statements ?? [];
  }

  async getStatement(accountId: string, statementId: string): Promise<Statement | undefined> {
    return this.get(`accounts/${seg(accountId)}/statements/${seg(statementId)}`, wire.statementWire);
  }

  async getProduct(accountId: string): Promise<Product | undefined> {
    return this.get(`accounts/${seg(accountId)}/product`, wire.productWire);
  }

  async checkFunds(accountId: string, amount: Money): Promise<boolean> {
    return (await this.post('funds-checks', { accountId, amount }, wire.fundsAnswerWire))?.sufficient ?? false;
  }

  async recordOrder(change: AccountOrderChange): Promise<void> {
    await this.gateway.call('PUT', 'account-orders', { body: toWireJson(change), idempotent: true });
  }

  async submit(submission: PaymentSubmission): Promise<SubmissionAnswer> {
    const answer = await this.post('payments', submission, wire.submissionAnswerWire, { 'idempotency-key': submission.externalRef });
    if (!answer) throw new Error('the core gateway gave no answer to a payment');
    return answer;
  }

  async paymentStatus(externalRef: string): Promise<CorePaymentStatus | undefined> {
    return this.get(`payments/${seg(externalRef)}`, wire.corePaymentStatusWire);
  }
}
