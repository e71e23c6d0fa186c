/**
 * Static data the sandbox's EU customers are drawn from, one entry per euro-area country they live
 * in. Amounts are euro cents; merchant category codes are ISO 18245. Employers, landlords and
 * lenders are made up; e-mail domains stay reserved (RFC 2606) and no phone numbers are given.
 */
import type { EuroAreaCountry } from './euro-area.ts';
import type { DirectDebitOriginator, Merchant } from './sandbox-catalogue.ts';

export interface EuCountryCatalogue {
  readonly country: EuroAreaCountry;
  readonly firstNames: readonly string[];
  readonly surnames: readonly string[];
  readonly towns: readonly { readonly town: string; readonly postCodes: readonly string[] }[];
  readonly streets: readonly string[];
  /** Whether the house number goes before the street (`12 rue Victor Hugo`) or after it (`Lindenstraße 12`). */
  readonly numberFirst: boolean;
  readonly employers: readonly string[];
  readonly landlords: readonly string[];
  readonly mortgageLenders: readonly string[];
  /** How rent and mortgage payments are referenced. */
  readonly rentReference: string;
  readonly mortgageReference: string;
  /** The everyday account's nickname, in the country's words. */
  readonly nickname: string;
  /** Range of monthly take-home pay. */
  readonly salaryMinor: readonly [bigint, bigint];
  /** Energy first: every customer pays for it; the other kinds are optional. */
  readonly directDebits: readonly DirectDebitOriginator[];
  readonly merchants: readonly Merchant[];
}

const m = (name: string, mcc: string, category: Merchant['category'], minMinor: bigint, maxMinor: bigint, weight: number): Merchant => ({ name, mcc, category, minMinor, maxMinor, weight });
const dd = (name: string, kind: DirectDebitOriginator['kind'], minMinor: bigint, maxMinor: bigint, variable: boolean, mandatePrefix: string): DirectDebitOriginator => ({ name, kind, minMinor, maxMinor, variable, mandatePrefix });

/** Subscriptions paid the same way in every country. */
const STREAMING: readonly DirectDebitOriginator[] = [
  dd('Netflix International B.V.', 'streaming', 799n, 1999n, false, 'NFX'),
  dd('Spotify AB', 'streaming', 1099n, 1799n, false, 'SPT'),
];

export const EU_COUNTRIES: readonly EuCountryCatalogue[] = [
  {
    country: 'DE',
    firstNames: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Paul', 'Hannah', 'Leon', 'Katharina', 'Tobias', 'Julia'],
    surnames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Richter'],
    towns: [
      { town: 'Berlin', postCodes: ['10115', '10437', '10999', '12047'] },
      { town: 'München', postCodes: ['80331', '80469', '81541'] },
      { town: 'Hamburg', postCodes: ['20095', '22765'] },
      { town: 'Köln', postCodes: ['50667', '50823'] },
      { town: 'Leipzig', postCodes: ['04109', '04277'] },
    ],
    streets: ['Lindenstraße', 'Hauptstraße', 'Bahnhofstraße', 'Schillerstraße', 'Goethestraße', 'Gartenweg', 'Kastanienallee', 'Am Mühlbach'],
    numberFirst: false,
    employers: ['Nordlicht Logistik GmbH', 'Rheinwerk Software GmbH', 'Klinikum am Stadtpark', 'Brückner Maschinenbau AG', 'Stadtwerke Lindenau'],
    landlords: ['Wohnbau Lindenau GmbH', 'Hausverwaltung Krüger', 'Frau E. Hartmann'],
    mortgageLenders: ['Lindenauer Bausparkasse', 'Rheinland Hypothekenbank AG'],
    rentReference: 'MIETE',
    mortgageReference: 'DARLEHEN',
    nickname: 'Girokonto',
    salaryMinor: [2_100_00n, 4_200_00n],
    directDebits: [
      dd('E.ON Energie Deutschland', 'energy', 6000n, 15000n, true, 'EON'),
      dd('Vattenfall Europe Sales', 'energy', 5500n, 14000n, true, 'VTF'),
      dd('Telekom Deutschland', 'phone', 1500n, 5500n, true, 'TDG'),
      dd('Vodafone GmbH', 'broadband', 2999n, 4999n, false, 'VFD'),
      dd('HUK-COBURG', 'insurance', 2500n, 9000n, false, 'HUK'),
      dd('McFIT', 'gym', 2490n, 2990n, false, 'MCF'),
      ...STREAMING,
    ],
    merchants: [
      m('REWE', '5411', 'groceries', 450n, 8500n, 8),
      m('EDEKA', '5411', 'groceries', 350n, 7500n, 6),
      m('Lidl', '5411', 'groceries', 900n, 6500n, 6),
      m('Bäckerei Kamps', '5462', 'groceries', 180n, 1200n, 5),
      m('dm-drogerie markt', '5912', 'pharmacy', 250n, 4500n, 4),
      m('Deutsche Bahn', '4112', 'transport', 490n, 14900n, 2),
      m('Aral', '5541', 'fuel', 2500n, 9000n, 2),
      m('Vapiano', '5812', 'restaurant', 1200n, 4500n, 2),
      m('MediaMarkt', '5732', 'electronics', 1499n, 49900n, 1),
      m('Thalia', '5942', 'books', 899n, 4500n, 1),
    ],
  },
  {
    country: 'FR',
    firstNames: ['Camille', 'Louis', 'Léa', 'Hugo', 'Manon', 'Gabriel', 'Chloé', 'Jules', 'Inès', 'Arthur', 'Juliette', 'Théo'],
    surnames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Laurent', 'Fontaine'],
    towns: [
      { town: 'Paris', postCodes: ['75011', '75015', '75018', '75020'] },
      { town: 'Lyon', postCodes: ['69003', '69007'] },
      { town: 'Marseille', postCodes: ['13001', '13006'] },
      { town: 'Toulouse', postCodes: ['31000', '31400'] },
      { town: 'Nantes', postCodes: ['44000', '44100'] },
    ],
    streets: ['rue Victor Hugo', 'rue de la République', 'avenue Jean Jaurès', 'boulevard Voltaire', 'rue des Lilas', 'rue Pasteur', 'allée des Tilleuls', 'rue du Moulin'],
    numberFirst: true,
    employers: ['Transports Moreau SARL', 'Atelier Lumière SAS', 'Clinique des Tilleuls', 'Logiciels Azur SAS', 'Boulangeries Bernard SA'],
    landlords: ['Agence Immobilière du Parc', 'SCI Les Tilleuls', 'Mme C. Lambert'],
    mortgageLenders: ['Crédit Immobilier du Sud', "Banque Hypothécaire de l'Ouest"],
    rentReference: 'LOYER',
    mortgageReference: 'PRET IMMO',
    nickname: 'Compte courant',
    salaryMinor: [1_800_00n, 3_600_00n],
    directDebits: [
      dd('EDF', 'energy', 5000n, 14000n, true, 'EDF'),
      dd('Engie', 'energy', 5500n, 15000n, true, 'ENG'),
      dd('Orange', 'phone', 1000n, 4500n, true, 'ORA'),
      dd('SFR', 'broadband', 2499n, 4499n, false, 'SFR'),
      dd('MAIF', 'insurance', 3000n, 9000n, false, 'MAIF'),
      dd('Basic-Fit France', 'gym', 1999n, 2999n, false, 'BFT'),
      ...STREAMING,
    ],
    merchants: [
      m('Carrefour Market', '5411', 'groceries', 600n, 9000n, 8),
      m('Monoprix', '5411', 'groceries', 350n, 6500n, 6),
      m('Franprix', '5411', 'groceries', 250n, 3500n, 5),
      m('Boulangerie Paul', '5462', 'groceries', 150n, 1400n, 6),
      m('Pharmacie Lafayette', '5912', 'pharmacy', 400n, 4500n, 3),
      m('RATP', '4111', 'transport', 215n, 8640n, 4),
      m('SNCF Voyageurs', '4112', 'transport', 1000n, 12000n, 2),
      m('Esso', '5541', 'fuel', 2500n, 8500n, 2),
      m('Le Bistrot du Coin', '5812', 'restaurant', 1800n, 6500n, 2),
      m('Fnac', '5732', 'electronics', 1299n, 39900n, 1),
    ],
  },
  {
    country: 'NL',
    firstNames: ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Tess', 'Finn', 'Zoë', 'Milan', 'Fenna', 'Bram', 'Sanne'],
    surnames: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot'],
    towns: [
      { town: 'Amsterdam', postCodes: ['1013 KR', '1072 LH', '1091 GK'] },
      { town: 'Rotterdam', postCodes: ['3011 AD', '3021 AB'] },
      { town: 'Utrecht', postCodes: ['3511 LX', '3582 KA'] },
      { town: 'Den Haag', postCodes: ['2511 CV', '2564 AB'] },
      { town: 'Groningen', postCodes: ['9711 LV', '9725 AB'] },
    ],
    streets: ['Kerkstraat', 'Dorpsstraat', 'Stationsweg', 'Molenweg', 'Prinsengracht', 'Lindenlaan', 'Julianastraat', 'Wilhelminastraat'],
    numberFirst: false,
    employers: ['Polderwerk Logistiek B.V.', 'Tulp Software B.V.', 'Ziekenhuis De Amstel', 'Havenstad Techniek B.V.', 'Grachtenzorg B.V.'],
    landlords: ['Woonstichting De Linden', 'Vastgoed Brouwer B.V.', 'Dhr. P. Hendriks'],
    mortgageLenders: ['Polder Hypotheken B.V.', 'Noordzee Hypotheekbank N.V.'],
    rentReference: 'HUUR',
    mortgageReference: 'HYPOTHEEK',
    nickname: 'Betaalrekening',
    salaryMinor: [2_200_00n, 4_000_00n],
    directDebits: [
      dd('Eneco', 'energy', 9000n, 22000n, true, 'ENC'),
      dd('Vattenfall Nederland', 'energy', 8500n, 21000n, true, 'VTN'),
      dd('KPN', 'phone', 1200n, 4500n, true, 'KPN'),
      dd('Ziggo', 'broadband', 3999n, 6499n, false, 'ZIG'),
      dd('Centraal Beheer', 'insurance', 2000n, 7500n, false, 'CB'),
      dd('Basic-Fit Nederland', 'gym', 1999n, 2999n, false, 'BFN'),
      ...STREAMING,
    ],
    merchants: [
      m('Albert Heijn', '5411', 'groceries', 400n, 8000n, 8),
      m('Jumbo', '5411', 'groceries', 500n, 8500n, 6),
      m('HEMA', '5311', 'clothing', 250n, 4500n, 3),
      m('Kruidvat', '5912', 'pharmacy', 199n, 3500n, 3),
      m('NS', '4112', 'transport', 250n, 4500n, 4),
      m('Bagels & Beans', '5814', 'coffee', 350n, 1500n, 4),
      m('Shell Nederland', '5541', 'fuel', 2500n, 9000n, 2),
      m('Bol.com', '5999', 'online', 999n, 12000n, 3),
      m('Coolblue', '5732', 'electronics', 1999n, 59900n, 1),
    ],
  },
  {
    country: 'IE',
    firstNames: ['Seán', 'Aoife', 'Conor', 'Saoirse', 'Cian', 'Niamh', 'Darragh', 'Ciara', 'Oisín', 'Róisín', 'Liam', 'Caoimhe'],
    surnames: ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', "O'Brien", 'Byrne', 'Ryan', "O'Connor", 'Doyle', 'McCarthy', 'Gallagher', 'Quinn'],
    towns: [
      { town: 'Dublin', postCodes: ['D02 X285', 'D04 K7W2', 'D06 F3V7', 'D08 T6Y2'] },
      { town: 'Cork', postCodes: ['T12 R2NC', 'T23 XE61'] },
      { town: 'Galway', postCodes: ['H91 E2K3', 'H91 YT20'] },
      { town: 'Limerick', postCodes: ['V94 T9PX', 'V94 K5F8'] },
    ],
    streets: ['Main Street', 'Church Road', 'Strand Road', 'Griffith Avenue', 'Mill Road', 'Castle Street', 'Seafield Road', 'Oak Park Drive'],
    numberFirst: true,
    employers: ['Liffey Logistics Ltd', 'Shannon Software DAC', "St Brigid's University Hospital", 'Corrib Foods Ltd', 'Atlantic Insurance DAC'],
    landlords: ['Harbour Residential DAC', 'Liffey Property Management Ltd', 'Mr T Brennan'],
    mortgageLenders: ['Liffey Home Loans DAC', 'Atlantic Building Society'],
    rentReference: 'RENT',
    mortgageReference: 'MORTGAGE',
    nickname: 'Current account',
    salaryMinor: [2_300_00n, 4_300_00n],
    directDebits: [
      dd('Electric Ireland', 'energy', 7000n, 18000n, true, 'EI'),
      dd('Bord Gáis Energy', 'energy', 6500n, 17000n, true, 'BGE'),
      dd('Three Ireland', 'phone', 1000n, 4500n, true, 'THR'),
      dd('Eir', 'broadband', 3500n, 6500n, false, 'EIR'),
      dd('FBD Insurance', 'insurance', 3000n, 9500n, false, 'FBD'),
      dd('Flyefit', 'gym', 2499n, 3499n, false, 'FLY'),
      ...STREAMING,
    ],
    merchants: [
      m('Tesco Ireland', '5411', 'groceries', 600n, 9500n, 8),
      m('Dunnes Stores', '5411', 'groceries', 800n, 9000n, 6),
      m('SuperValu', '5411', 'groceries', 400n, 7000n, 5),
      m('Centra', '5411', 'groceries', 250n, 2500n, 5),
      m('Boots Ireland', '5912', 'pharmacy', 350n, 4000n, 3),
      m('Insomnia Coffee', '5814', 'coffee', 300n, 1100n, 4),
      m('Dublin Bus', '4131', 'transport', 200n, 650n, 3),
      m('Irish Rail', '4112', 'transport', 450n, 6500n, 2),
      m('Circle K', '5541', 'fuel', 2500n, 9000n, 2),
      m('Harvey Norman', '5732', 'electronics', 1999n, 79900n, 1),
    ],
  },
];

/** Occasional large purchases of EU customers. */
export const EU_BIG_TICKET_MERCHANTS: readonly Merchant[] = [
  m('TUI', '4722', 'travel', 40_000n, 400_000n, 3),
  m('Ryanair', '4511', 'travel', 6_000n, 60_000n, 2),
  m('IKEA', '5712', 'diy', 8_000n, 200_000n, 2),
  m('Zalando', '5651', 'clothing', 8_000n, 60_000n, 2),
  m('Apple Store', '5732', 'electronics', 20_000n, 250_000n, 1),
];
