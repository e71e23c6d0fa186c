import type { HolderRole, Party } from '../../../../core/index.ts';

/** OB `OBInternalAccountRole1Code` of the core's holder roles. */
const ACCOUNT_ROLE: Record<HolderRole, string> = { Owner: 'UK.OBIE.Principal', Joint: 'UK.OBIE.SecondaryOwner', Delegate: 'UK.OBIE.Administrator' };

/** OB `OBInternalLegalStructureType1Code` of the core's legal structures. */
const LEGAL_STRUCTURE: Record<string, string> = {
  'Sole Trader': 'UK.OBIE.Sole',
  'Limited Company': 'UK.OBIE.PrivateLimitedCompany',
  'Public Limited Company': 'UK.OBIE.PublicLimitedCompany',
  Partnership: 'UK.OBIE.GeneralPartnership',
  Charity: 'UK.OBIE.Charity',
};

function legalStructure(party: Party): string | undefined {
  if (!party.legalStructure) return party.kind === 'Person' ? 'UK.OBIE.Individual' : undefined;
  return party.legalStructure.startsWith('UK.OBIE.') ? party.legalStructure : LEGAL_STRUCTURE[party.legalStructure];
}

/** OB `PhoneNumber` (`+44-7700900123`) from E.164 (`+447700900123`). */
function obPhone(e164: string | null): string | undefined {
  const match = e164 ? /^\+(1|44|\d{2})(\d{4,14})$/.exec(e164.replace(/\s/g, '')) : null;
  return match ? `+${match[1]}-${match[2]}` : undefined;
}

/** OB v4.0 `OBParty2`: the party and, when read through an account, its role there. */
export function toObParty(party: Party, onAccount?: { role: HolderRole; sole: boolean }) {
  const phone = obPhone(party.phone);
  const mobile = obPhone(party.mobile);
  const structure = legalStructure(party);
  return {
    PartyId: party.id,
    PartyNumber: party.partyNumber,
    ...(onAccount ? { PartyType: onAccount.role === 'Delegate' ? 'Delegate' : onAccount.sole ? 'Sole' : 'Joint', AccountRole: ACCOUNT_ROLE[onAccount.role] } : {}),
    Name: party.name.slice(0, 350),
    FullLegalName: party.fullLegalName.slice(0, 350),
    ...(structure ? { LegalStructure: structure } : {}),
    ...(party.email ? { EmailAddress: party.email.slice(0, 256) } : {}),
    ...(phone ? { Phone: phone } : {}),
    ...(mobile ? { Mobile: mobile } : {}),
    ...(party.address
      ? {
          Address: [
            {
              AddressType: party.kind === 'Person' ? 'HOME' : 'BIZZ',
              AddressLine: party.address.addressLine.slice(0, 7).map((line) => line.slice(0, 70)),
              TownName: party.address.townName.slice(0, 140),
              PostCode: party.address.postCode.slice(0, 16),
              Country: party.address.country,
            },
          ],
        }
      : {}),
  };
}
