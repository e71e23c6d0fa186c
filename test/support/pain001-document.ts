/** The namespaces of the published ISO 20022 schemas of the pain.001 versions the bank reads. */
export const PAIN001_NAMESPACES = {
  'pain.001.001.03': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
  'pain.001.001.09': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09',
} as const;
export type Pain001TestVersion = keyof typeof PAIN001_NAMESPACES;

export interface Pain001Transfer {
  endToEndId: string;
  amount: string;
  currency?: string;
  creditorName: string;
  creditorIban: string;
  creditorBic?: string;
  remittance?: string;
}

export interface Pain001Options {
  version?: Pain001TestVersion;
  debtorIban: string;
  transfers: Pain001Transfer[];
  /** ReqdExctnDt; today (UTC) by default. */
  executionDate?: string;
  /** GrpHdr and PmtInf NbOfTxs; the number of transfers by default. */
  numberOfTransactions?: string;
  /** GrpHdr and PmtInf CtrlSum; the transfers' total by default, none with `null`. */
  controlSum?: string | null;
  messageId?: string;
  /** Further payment information blocks after the first (each its own PmtInfId, counts and total). */
  moreBlocks?: Pain001Block[];
}

export interface Pain001Block {
  debtorIban: string;
  /** DbtrAcct/Ccy; none by default. */
  debtorCurrency?: string;
  transfers: Pain001Transfer[];
  /** ReqdExctnDt; today (UTC) by default. */
  executionDate?: string;
  paymentInformationId?: string;
}

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The exact decimal total of amounts (test data: at most 2 decimals). */
export function totalOf(amounts: string[]): string {
  const cents = amounts.reduce((sum, amount) => {
    const [units, fraction = ''] = amount.split('.');
    return sum + BigInt(`${units}${fraction.padEnd(2, '0')}`);
  }, 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/**
 * A customer credit transfer initiation as a TPP sends it for a NextGenPSD2 `pain.001-…` product,
 * laid out as the EPC SEPA Credit Transfer implementation guidelines lay pain.001.001.03 and .09
 * out (the version decides the BIC element and the execution date's form).
 */
export function pain001Document(options: Pain001Options): string {
  const version = options.version ?? 'pain.001.001.03';
  const all = [options.transfers, ...(options.moreBlocks ?? []).map((block) => block.transfers)].flat();
  const count = options.numberOfTransactions ?? String(all.length);
  const sum = options.controlSum === undefined ? totalOf(all.map((t) => t.amount)) : options.controlSum;
  const controlSum = sum === null ? '' : `<CtrlSum>${sum}</CtrlSum>`;
  const first = { debtorIban: options.debtorIban, transfers: options.transfers, executionDate: options.executionDate, paymentInformationId: 'PMT-4711-0001' };
  // One block: its counts are the group header's (a test may set both); several: each its own.
  const blocks = [first, ...(options.moreBlocks ?? [])].map((block, index, list) =>
    blockOf(version, block, list.length === 1 ? { count, controlSum } : { count: String(block.transfers.length), controlSum: `<CtrlSum>${totalOf(block.transfers.map((t) => t.amount))}</CtrlSum>` }, index),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${PAIN001_NAMESPACES[version]}">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>${options.messageId ?? 'MSG-4711-0001'}</MsgId>
      <CreDtTm>2025-03-03T10:15:00</CreDtTm>
      <NbOfTxs>${count}</NbOfTxs>${controlSum}
      <InitgPty><Nm>Zahlfix GmbH</Nm></InitgPty>
    </GrpHdr>${blocks.join('')}
  </CstmrCdtTrfInitn>
</Document>
`;
}

function blockOf(version: Pain001TestVersion, block: Pain001Block, totals: { count: string; controlSum: string }, index: number): string {
  const date = block.executionDate ?? new Date().toISOString().slice(0, 10);
  const executionDate = version === 'pain.001.001.03' ? `<ReqdExctnDt>${date}</ReqdExctnDt>` : `<ReqdExctnDt><Dt>${date}</Dt></ReqdExctnDt>`;
  const bic = version === 'pain.001.001.03' ? 'BIC' : 'BICFI';
  const transfers = block.transfers
    .map(
      (t) => `
      <CdtTrfTxInf>
        <PmtId><EndToEndId>${escape(t.endToEndId)}</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="${t.currency ?? 'EUR'}">${t.amount}</InstdAmt></Amt>${t.creditorBic ? `
        <CdtrAgt><FinInstnId><${bic}>${t.creditorBic}</${bic}></FinInstnId></CdtrAgt>` : ''}
        <Cdtr><Nm>${escape(t.creditorName)}</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>${t.creditorIban}</IBAN></Id></CdtrAcct>${t.remittance ? `
        <RmtInf><Ustrd>${escape(t.remittance)}</Ustrd></RmtInf>` : ''}
      </CdtTrfTxInf>`,
    )
    .join('');
  return `
    <PmtInf>
      <PmtInfId>${block.paymentInformationId ?? `PMT-4711-000${index + 1}`}</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <BtchBookg>false</BtchBookg>
      <NbOfTxs>${totals.count}</NbOfTxs>${totals.controlSum}
      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>
      ${executionDate}
      <Dbtr><Nm>PSU Name</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>${block.debtorIban}</IBAN></Id>${block.debtorCurrency ? `<Ccy>${block.debtorCurrency}</Ccy>` : ''}</DbtrAcct>
      <DbtrAgt><FinInstnId><${bic}>PORTDEFFXXX</${bic}></FinInstnId></DbtrAgt>
      <ChrgBr>SLEV</ChrgBr>${transfers}
    </PmtInf>`;
}
