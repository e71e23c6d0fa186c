import { AsnArray, AsnConvert, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import type { x509 } from '../../platform/tls/index.ts';

/*
 * ASN.1 of the qualified-certificate statements a PSD2 certificate carries. The classes are plain
 * @peculiar/asn1-schema schemas; the decorators are applied as functions because the project does
 * not enable TypeScript's legacy `experimentalDecorators`.
 */

/** RFC 3739 §3.2.6: id-pe-qcStatements. */
export const ID_PE_QC_STATEMENTS = '1.3.6.1.5.5.7.1.3';
/** ETSI EN 319 412-5 §4.2.1: the certificate is an EU qualified certificate. */
export const ID_ETSI_QCS_QC_COMPLIANCE = '0.4.0.1862.1.1';
/** ETSI EN 319 412-5 §4.2.3: QcType, with the types below. */
export const ID_ETSI_QCS_QC_TYPE = '0.4.0.1862.1.6';
const ID_ETSI_QCT_ESEAL = '0.4.0.1862.1.6.2';
const ID_ETSI_QCT_WEB = '0.4.0.1862.1.6.3';
/** ETSI TS 119 495 §5.1: id-etsi-psd2-qcStatement. */
export const ID_ETSI_PSD2_QC_STATEMENT = '0.4.0.19495.2';

export type Psd2Role = 'ASPSP' | 'PISP' | 'AISP' | 'CBPII';

/** ETSI TS 119 495 §5.1: role OIDs (id-psd2-role-psp-*) and their fixed names. */
const PSD2_ROLES: Record<Psd2Role, { oid: string; name: string }> = {
  ASPSP: { oid: '0.4.0.19495.1.1', name: 'PSP_AS' },
  PISP: { oid: '0.4.0.19495.1.2', name: 'PSP_PI' },
  AISP: { oid: '0.4.0.19495.1.3', name: 'PSP_AI' },
  CBPII: { oid: '0.4.0.19495.1.4', name: 'PSP_IC' },
};
const ROLE_BY_OID = new Map(Object.entries(PSD2_ROLES).map(([role, { oid }]) => [oid, role as Psd2Role]));

/** RFC 3739 §3.2.6: QCStatement ::= SEQUENCE { statementId OID, statementInfo ANY OPTIONAL }. */
class QcStatement {
  statementId = '';
  statementInfo: ArrayBuffer | undefined = undefined;
  constructor(params: Partial<QcStatement> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(QcStatement.prototype, 'statementId');
AsnProp({ type: AsnPropTypes.Any, optional: true })(QcStatement.prototype, 'statementInfo');

/** RFC 3739 §3.2.6: QCStatements ::= SEQUENCE OF QCStatement. */
class QcStatements extends AsnArray<QcStatement> {
  constructor(items?: QcStatement[]) {
    super(items);
    Object.setPrototypeOf(this, QcStatements.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: QcStatement })(QcStatements);

/** ETSI EN 319 412-5 §4.2.3: QcType ::= SEQUENCE OF OBJECT IDENTIFIER. */
class QcType extends AsnArray<string> {
  constructor(items?: string[]) {
    super(items);
    Object.setPrototypeOf(this, QcType.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: AsnPropTypes.ObjectIdentifier })(QcType);

/** ETSI TS 119 495 §5.1: RoleOfPSP ::= SEQUENCE { roleOfPspOid OID, roleOfPspName UTF8String (SIZE(256)) }. */
class RoleOfPsp {
  roleOfPspOid = '';
  roleOfPspName = '';
  constructor(params: Partial<RoleOfPsp> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(RoleOfPsp.prototype, 'roleOfPspOid');
AsnProp({ type: AsnPropTypes.Utf8String })(RoleOfPsp.prototype, 'roleOfPspName');

/** ETSI TS 119 495 §5.1: RolesOfPSP ::= SEQUENCE OF RoleOfPSP. */
class RolesOfPsp extends AsnArray<RoleOfPsp> {
  constructor(items?: RoleOfPsp[]) {
    super(items);
    Object.setPrototypeOf(this, RolesOfPsp.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: RoleOfPsp })(RolesOfPsp);

/** ETSI TS 119 495 §5.1: PSD2QcType ::= SEQUENCE { rolesOfPSP, nCAName UTF8String, nCAId UTF8String }. */
class Psd2QcType {
  rolesOfPsp = new RolesOfPsp();
  nCAName = '';
  nCAId = '';
  constructor(params: Partial<Psd2QcType> = {}) {
    Object.assign(this, params);
  }
}
AsnProp({ type: RolesOfPsp })(Psd2QcType.prototype, 'rolesOfPsp');
AsnProp({ type: AsnPropTypes.Utf8String })(Psd2QcType.prototype, 'nCAName');
AsnProp({ type: AsnPropTypes.Utf8String })(Psd2QcType.prototype, 'nCAId');

export interface Psd2QcStatementInput {
  readonly roles: readonly Psd2Role[];
  /** e.g. 'Financial Conduct Authority' */
  readonly ncaName: string;
  /** ETSI TS 119 495 §5.2.2: country code + '-' + NCA short id, e.g. 'GB-FCA'. */
  readonly ncaId: string;
  /** ETSI EN 319 412-5 §4.2.3: 'web' for a QWAC, 'eseal' for a QSealC. */
  readonly type: 'web' | 'eseal';
}

export interface Psd2QcStatement {
  readonly roles: Psd2Role[];
  readonly ncaName: string;
  readonly ncaId: string;
}

/** The DER value of the qcStatements extension: QcCompliance, QcType and the PSD2 statement. */
export function encodePsd2QcStatements(input: Psd2QcStatementInput): ArrayBuffer {
  const psd2 = new Psd2QcType({
    rolesOfPsp: new RolesOfPsp(input.roles.map((role) => new RoleOfPsp({ roleOfPspOid: PSD2_ROLES[role].oid, roleOfPspName: PSD2_ROLES[role].name }))),
    nCAName: input.ncaName,
    nCAId: input.ncaId,
  });
  const qcType = new QcType([input.type === 'web' ? ID_ETSI_QCT_WEB : ID_ETSI_QCT_ESEAL]);
  return AsnConvert.serialize(
    new QcStatements([
      new QcStatement({ statementId: ID_ETSI_QCS_QC_COMPLIANCE }),
      new QcStatement({ statementId: ID_ETSI_QCS_QC_TYPE, statementInfo: AsnConvert.serialize(qcType) }),
      new QcStatement({ statementId: ID_ETSI_PSD2_QC_STATEMENT, statementInfo: AsnConvert.serialize(psd2) }),
    ]),
  );
}

/**
 * The PSD2 statement of a certificate, or undefined when it has none or it does not parse. Roles
 * are read from their OIDs (the names are informative, ETSI TS 119 495 §5.1); unknown OIDs are
 * ignored.
 */
export function parsePsd2QcStatement(certificate: x509.X509Certificate): Psd2QcStatement | undefined {
  const extension = certificate.getExtension(ID_PE_QC_STATEMENTS);
  if (!extension) return undefined;
  try {
    const statements = AsnConvert.parse(extension.value, QcStatements);
    const psd2 = statements.find((statement) => statement.statementId === ID_ETSI_PSD2_QC_STATEMENT);
    if (!psd2?.statementInfo) return undefined;
    const info = AsnConvert.parse(psd2.statementInfo, Psd2QcType);
    const roles = info.rolesOfPsp.flatMap((role) => ROLE_BY_OID.get(role.roleOfPspOid) ?? []);
    return { roles: [...new Set(roles)], ncaName: info.nCAName, ncaId: info.nCAId };
  } catch {
    return undefined;
  }
}
