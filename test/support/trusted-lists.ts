import { webcrypto } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { privateKeyToPem, randomSerialNumber, x509 } from '../../src/platform/tls/index.ts';

/**
 * ETSI TS 119 612 trusted lists made by the tests: a List of Trusted Lists pointing at national
 * lists, and national lists of qualified CA services, each signed (XMLDSig, enveloped, RSA-SHA256,
 * exclusive canonicalisation) by a signer of the test's own.
 */

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } as const;

export interface ListSigner {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export async function createListSigner(name: string): Promise<ListSigner> {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: `CN=${name}, O=Trusted List Scheme Operator, C=EU`,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    keys,
    signingAlgorithm: RSA,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await privateKeyToPem(keys.privateKey) };
}

const base64Of = (pem: string) => new x509.X509Certificate(pem).toString('base64');
const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface ServiceEntry {
  readonly provider: string;
  readonly name: string;
  readonly certificatePem: string;
  readonly uses?: readonly ('QWAC' | 'QSealC')[];
  /** Oldest first; the last is the current status. */
  readonly statuses: readonly { status: 'granted' | 'withdrawn' | 'accredited'; from: Date }[];
  readonly serviceType?: string;
}

const USE_URI = { QWAC: 'ForWebSiteAuthentication', QSealC: 'ForeSeals' } as const;

function schemeInformation(territory: string, sequence: number, extra = ''): string {
  return `<SchemeInformation>
    <TSLVersionIdentifier>5</TSLVersionIdentifier>
    <TSLSequenceNumber>${sequence}</TSLSequenceNumber>
    <TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType>
    <SchemeOperatorName><Name xml:lang="en">Scheme operator of ${territory}</Name></SchemeOperatorName>
    <SchemeTerritory>${territory}</SchemeTerritory>
    <ListIssueDateTime>${new Date(Date.now() - 86_400_000).toISOString()}</ListIssueDateTime>
    <NextUpdate><dateTime>${new Date(Date.now() + 180 * 86_400_000).toISOString()}</dateTime></NextUpdate>
    ${extra}
  </SchemeInformation>`;
}

function status(entry: { status: string; from: Date }): string {
  return `<ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/${entry.status}</ServiceStatus><StatusStartingTime>${entry.from.toISOString()}</StatusStartingTime>`;
}

/** A national trusted list of `territory` with these services, unsigned. */
export function nationalListXml(territory: string, services: readonly ServiceEntry[], sequence = 1): string {
  const providers = [...new Set(services.map((service) => service.provider))].map((provider) => {
    const entries = services
      .filter((service) => service.provider === provider)
      .map((service) => {
        const current = service.statuses.at(-1)!;
        const history = service.statuses.slice(0, -1).reverse();
        const uses = (service.uses ?? []).map((use) => `<Extension Critical="false"><AdditionalServiceInformation><URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/${USE_URI[use]}</URI></AdditionalServiceInformation></Extension>`).join('');
        return `<TSPService><ServiceInformation>
          <ServiceTypeIdentifier>${service.serviceType ?? 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC'}</ServiceTypeIdentifier>
          <ServiceName><Name xml:lang="en">${escape(service.name)}</Name></ServiceName>
          <ServiceDigitalIdentity><DigitalId><X509Certificate>${base64Of(service.certificatePem)}</X509Certificate></DigitalId></ServiceDigitalIdentity>
          ${status(current)}
          <ServiceInformationExtensions>${uses}</ServiceInformationExtensions>
        </ServiceInformation>${history.length > 0 ? `<ServiceHistory>${history.map((entry) => `<ServiceHistoryInstance><ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier><ServiceName><Name xml:lang="en">${escape(service.name)}</Name></ServiceName>${status(entry)}</ServiceHistoryInstance>`).join('')}</ServiceHistory>` : ''}</TSPService>`;
      })
      .join('');
    return `<TrustServiceProvider><TSPInformation><TSPName><Name xml:lang="en">${escape(provider)}</Name></TSPName></TSPInformation><TSPServices>${entries}</TSPServices></TrustServiceProvider>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag">
  ${schemeInformation(territory, sequence)}
  <TrustServiceProviderList>${providers.join('')}</TrustServiceProviderList>
</TrustServiceStatusList>`;
}

/** The List of Trusted Lists pointing at each territory's list (XML and, as the real one does, a PDF copy). */
export function listOfTrustedListsXml(pointers: readonly { territory: string; location: string; signerPems: readonly string[] }[], sequence = 1): string {
  const entries = pointers.flatMap((pointer) =>
    ['application/vnd.etsi.tsl+xml', 'application/pdf'].map(
      (mimeType) => `<OtherTSLPointer>
      <ServiceDigitalIdentities>${pointer.signerPems.map((pem) => `<ServiceDigitalIdentity><DigitalId><X509Certificate>${base64Of(pem)}</X509Certificate></DigitalId></ServiceDigitalIdentity>`).join('')}</ServiceDigitalIdentities>
      <TSLLocation>${escape(mimeType === 'application/pdf' ? pointer.location.replace(/\.xml$/, '.pdf') : pointer.location)}</TSLLocation>
      <AdditionalInformation>
        <OtherInformation><SchemeTerritory>${pointer.territory}</SchemeTerritory></OtherInformation>
        <OtherInformation><ns3:MimeType xmlns:ns3="http://uri.etsi.org/02231/v2/additionaltypes#">${mimeType}</ns3:MimeType></OtherInformation>
      </AdditionalInformation>
    </OtherTSLPointer>`,
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag">
  ${schemeInformation('EU', sequence, `<PointersToOtherTSL>${entries.join('')}</PointersToOtherTSL>`)}
</TrustServiceStatusList>`;
}

/** The list signed as trusted lists are: an enveloped signature over the whole document, at its root. */
export function signList(xml: string, signer: ListSigner): string {
  const signed = new SignedXml({
    privateKey: signer.privateKeyPem,
    publicCert: signer.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signed.addReference({
    xpath: '/*',
    isEmptyUri: true,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return signed.getSignedXml();
}
