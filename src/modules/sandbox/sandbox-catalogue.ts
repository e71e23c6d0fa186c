/**
 * Static data the sandbox bank is drawn from. Amount ranges are minor units. Merchant category
 * codes are ISO 18245. Phone numbers are in Ofcom's drama range and e-mail domains are reserved
 * (RFC 2606), so nothing generated reaches a real person.
 */

export const FIRST_NAMES = [
  'Alice', 'Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Noah', 'Mia', 'Jack',
  'Sophie', 'Leo', 'Grace', 'Arthur', 'Lily', 'Oscar', 'Freya', 'Charlie', 'Emily', 'Jacob',
  'Ella', 'Thomas', 'Poppy', 'James', 'Evie', 'William', 'Chloe', 'Henry', 'Ruby', 'Alfie',
  'Priya', 'Mohammed', 'Aisha', 'Kwame', 'Zara', 'Rhys', 'Siobhan', 'Callum', 'Niamh', 'Eilidh',
] as const;

export const SURNAMES = [
  'Walker', 'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson',
  'Wright', 'Thompson', 'Evans', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke',
  'Patel', 'Khan', 'Lewis', 'Harris', 'Hughes', 'Edwards', 'Turner', 'Murphy', 'Campbell', 'Kelly',
  'Ahmed', 'Singh', 'Okafor', 'Mensah', 'Morgan', 'Price', 'Fraser', 'MacDonald', "O'Brien", 'Chen',
] as const;

export const STREETS = [
  'Acacia Avenue', 'Station Road', 'High Street', 'Church Lane', 'Victoria Road', 'Mill Lane',
  'Park Road', 'Queens Road', 'Kingsway', 'Elm Grove', 'Chapel Street', 'Orchard Close',
] as const;

export const TOWNS = [
  { town: 'London', postCodes: ['N1 7GU', 'SE15 4QL', 'E8 3PB', 'SW9 8JX'] },
  { town: 'Manchester', postCodes: ['M14 5RG', 'M20 2LS'] },
  { town: 'Leeds', postCodes: ['LS6 1AN', 'LS8 2PE'] },
  { town: 'Bristol', postCodes: ['BS6 5BY', 'BS3 4EN'] },
  { town: 'Glasgow', postCodes: ['G12 8QQ', 'G41 2PE'] },
  { town: 'Cardiff', postCodes: ['CF24 4HQ', 'CF5 1QE'] },
  { town: 'Birmingham', postCodes: ['B13 9DR', 'B29 6BD'] },
  { town: 'Edinburgh', postCodes: ['EH9 1PR', 'EH6 5QG'] },
] as const;

/** Words for the sandbox's published test passwords (`Word-Word-1234`). */
export const PASSWORD_WORDS = [
  'Maple', 'River', 'Copper', 'Falcon', 'Harbour', 'Meadow', 'Orbit', 'Pebble', 'Quartz', 'Saffron',
  'Thistle', 'Velvet', 'Willow', 'Amber', 'Bramble', 'Cobalt', 'Ember', 'Granite', 'Juniper', 'Lantern',
] as const;

export type MerchantCategory =
  | 'groceries' | 'restaurant' | 'fast-food' | 'coffee' | 'fuel' | 'transport' | 'pharmacy' | 'clothing'
  | 'online' | 'books' | 'entertainment' | 'diy' | 'electronics' | 'travel';

export interface Merchant {
  readonly name: string;
  readonly mcc: string;
  readonly category: MerchantCategory;
  readonly minMinor: bigint;
  readonly maxMinor: bigint;
  /** Relative frequency among a customer's card purchases. */
  readonly weight: number;
}

export const MERCHANTS: readonly Merchant[] = [
  { name: 'Tesco Superstore', mcc: '5411', category: 'groceries', minMinor: 850n, maxMinor: 9500n, weight: 10 },
  { name: "Sainsbury's Local", mcc: '5411', category: 'groceries', minMinor: 320n, maxMinor: 2800n, weight: 8 },
  { name: 'Aldi', mcc: '5411', category: 'groceries', minMinor: 1200n, maxMinor: 7800n, weight: 6 },
  { name: 'Co-op Food', mcc: '5411', category: 'groceries', minMinor: 250n, maxMinor: 2200n, weight: 6 },
  { name: 'Waitrose', mcc: '5411', category: 'groceries', minMinor: 900n, maxMinor: 8500n, weight: 3 },
  { name: 'Pret A Manger', mcc: '5814', category: 'coffee', minMinor: 295n, maxMinor: 1150n, weight: 6 },
  { name: 'Costa Coffee', mcc: '5814', category: 'coffee', minMinor: 280n, maxMinor: 890n, weight: 6 },
  { name: 'Greggs', mcc: '5814', category: 'fast-food', minMinor: 180n, maxMinor: 760n, weight: 5 },
  { name: "Nando's", mcc: '5812', category: 'restaurant', minMinor: 1400n, maxMinor: 5200n, weight: 2 },
  { name: 'Dishoom', mcc: '5812', category: 'restaurant', minMinor: 2800n, maxMinor: 9800n, weight: 1 },
  { name: 'The Red Lion', mcc: '5813', category: 'restaurant', minMinor: 560n, maxMinor: 4800n, weight: 3 },
  { name: 'Wagamama', mcc: '5812', category: 'restaurant', minMinor: 1600n, maxMinor: 5600n, weight: 2 },
  { name: 'Deliveroo', mcc: '5814', category: 'fast-food', minMinor: 1450n, maxMinor: 4200n, weight: 3 },
  { name: 'Shell', mcc: '5541', category: 'fuel', minMinor: 2500n, maxMinor: 8500n, weight: 3 },
  { name: 'BP', mcc: '5541', category: 'fuel', minMinor: 2000n, maxMinor: 8000n, weight: 2 },
  { name: 'Transport for London', mcc: '4111', category: 'transport', minMinor: 175n, maxMinor: 880n, weight: 6 },
  { name: 'LNER', mcc: '4112', category: 'transport', minMinor: 1890n, maxMinor: 14500n, weight: 1 },
  { name: 'Uber', mcc: '4121', category: 'transport', minMinor: 780n, maxMinor: 3400n, weight: 2 },
  { name: 'Boots', mcc: '5912', category: 'pharmacy', minMinor: 350n, maxMinor: 3600n, weight: 3 },
  { name: 'Superdrug', mcc: '5912', category: 'pharmacy', minMinor: 299n, maxMinor: 2400n, weight: 2 },
  { name: 'Primark', mcc: '5651', category: 'clothing', minMinor: 600n, maxMinor: 6000n, weight: 2 },
  { name: 'Marks & Spencer', mcc: '5651', category: 'clothing', minMinor: 1500n, maxMinor: 12000n, weight: 2 },
  { name: 'Next', mcc: '5651', category: 'clothing', minMinor: 1800n, maxMinor: 9500n, weight: 1 },
  { name: 'Amazon UK', mcc: '5942', category: 'online', minMinor: 599n, maxMinor: 8999n, weight: 5 },
  { name: 'eBay', mcc: '5999', category: 'online', minMinor: 450n, maxMinor: 6500n, weight: 2 },
  { name: 'Waterstones', mcc: '5942', category: 'books', minMinor: 899n, maxMinor: 3500n, weight: 1 },
  { name: 'Odeon Cinemas', mcc: '7832', category: 'entertainment', minMinor: 1099n, maxMinor: 3200n, weight: 1 },
  { name: 'B&Q', mcc: '5200', category: 'diy', minMinor: 500n, maxMinor: 15000n, weight: 1 },
  { name: 'Currys', mcc: '5732', category: 'electronics', minMinor: 1299n, maxMinor: 34900n, weight: 1 },
  { name: 'Trainline', mcc: '4112', category: 'transport', minMinor: 850n, maxMinor: 9800n, weight: 1 },
  { name: 'easyJet', mcc: '4511', category: 'travel', minMinor: 3499n, maxMinor: 18900n, weight: 1 },
];

/** Occasional large purchases (holidays, furniture, appliances) that spend what has built up. */
export const BIG_TICKET_MERCHANTS: readonly Merchant[] = [
  { name: 'Jet2holidays', mcc: '4722', category: 'travel', minMinor: 40_000n, maxMinor: 400_000n, weight: 3 },
  { name: 'British Airways', mcc: '4511', category: 'travel', minMinor: 15_000n, maxMinor: 250_000n, weight: 2 },
  { name: 'John Lewis', mcc: '5311', category: 'clothing', minMinor: 10_000n, maxMinor: 250_000n, weight: 3 },
  { name: 'IKEA', mcc: '5712', category: 'diy', minMinor: 8_000n, maxMinor: 200_000n, weight: 2 },
  { name: 'Apple Store', mcc: '5732', category: 'electronics', minMinor: 20_000n, maxMinor: 250_000n, weight: 1 },
  { name: 'Halfords Autocentre', mcc: '7538', category: 'diy', minMinor: 12_000n, maxMinor: 120_000n, weight: 1 },
];

/** Card spending on euro accounts. */
export const EUR_MERCHANTS: readonly Merchant[] = [
  { name: 'Carrefour City Paris', mcc: '5411', category: 'groceries', minMinor: 450n, maxMinor: 6500n, weight: 5 },
  { name: 'Lidl Berlin Mitte', mcc: '5411', category: 'groceries', minMinor: 600n, maxMinor: 5500n, weight: 4 },
  { name: 'Café de Flore', mcc: '5814', category: 'coffee', minMinor: 480n, maxMinor: 2200n, weight: 3 },
  { name: 'Trattoria da Enzo Roma', mcc: '5812', category: 'restaurant', minMinor: 2400n, maxMinor: 8800n, weight: 2 },
  { name: 'SNCF Connect', mcc: '4112', category: 'transport', minMinor: 1900n, maxMinor: 12900n, weight: 2 },
  { name: 'Renfe Viajeros', mcc: '4112', category: 'transport', minMinor: 1500n, maxMinor: 9500n, weight: 1 },
  { name: 'Zara Barcelona', mcc: '5651', category: 'clothing', minMinor: 1995n, maxMinor: 8990n, weight: 2 },
  { name: 'Albert Heijn Amsterdam', mcc: '5411', category: 'groceries', minMinor: 350n, maxMinor: 4200n, weight: 3 },
  { name: 'TotalEnergies', mcc: '5541', category: 'fuel', minMinor: 3000n, maxMinor: 9000n, weight: 1 },
  { name: 'Booking.com', mcc: '4722', category: 'travel', minMinor: 8900n, maxMinor: 45000n, weight: 1 },
];

export const ATM_MCC = '6011';

export const EMPLOYERS = [
  'Northwind Logistics Ltd', 'Harbourside NHS Foundation Trust', 'Pennine Software Ltd', 'Brightwater Retail plc',
  'Calder Valley Council', 'Granite Engineering Ltd', 'Oakfield Academy Trust', 'Meridian Insurance Services Ltd',
  'Thamesmead Hospitality Group', 'Lumen Media Ltd', 'Castlegate Accountants LLP', 'Redkite Construction Ltd',
] as const;

export type DirectDebitKind = 'energy' | 'water' | 'phone' | 'broadband' | 'council-tax' | 'streaming' | 'insurance' | 'gym';

export interface DirectDebitOriginator {
  readonly name: string;
  readonly kind: DirectDebitKind;
  readonly minMinor: bigint;
  readonly maxMinor: bigint;
  /** Whether the amount changes from month to month (metered bills) or stays put. */
  readonly variable: boolean;
  /** Prefix of the mandate reference the originator assigns. */
  readonly mandatePrefix: string;
}

export const DIRECT_DEBIT_ORIGINATORS: readonly DirectDebitOriginator[] = [
  { name: 'British Gas', kind: 'energy', minMinor: 6500n, maxMinor: 16500n, variable: true, mandatePrefix: 'BG' },
  { name: 'Octopus Energy', kind: 'energy', minMinor: 5500n, maxMinor: 14500n, variable: true, mandatePrefix: 'OCT' },
  { name: 'EDF Energy', kind: 'energy', minMinor: 6000n, maxMinor: 15500n, variable: true, mandatePrefix: 'EDF' },
  { name: 'Thames Water', kind: 'water', minMinor: 2800n, maxMinor: 5200n, variable: false, mandatePrefix: 'TW' },
  { name: 'Yorkshire Water', kind: 'water', minMinor: 2600n, maxMinor: 4800n, variable: false, mandatePrefix: 'YW' },
  { name: 'Scottish Water', kind: 'water', minMinor: 2400n, maxMinor: 4500n, variable: false, mandatePrefix: 'SW' },
  { name: 'EE Limited', kind: 'phone', minMinor: 1200n, maxMinor: 4500n, variable: true, mandatePrefix: 'EE' },
  { name: 'Vodafone', kind: 'phone', minMinor: 1000n, maxMinor: 4000n, variable: true, mandatePrefix: 'VOD' },
  { name: 'O2 Telefonica UK', kind: 'phone', minMinor: 1100n, maxMinor: 3800n, variable: true, mandatePrefix: 'O2' },
  { name: 'BT Broadband', kind: 'broadband', minMinor: 2999n, maxMinor: 5499n, variable: false, mandatePrefix: 'BT' },
  { name: 'Virgin Media', kind: 'broadband', minMinor: 3200n, maxMinor: 6800n, variable: false, mandatePrefix: 'VM' },
  { name: 'Council Tax', kind: 'council-tax', minMinor: 11000n, maxMinor: 24000n, variable: false, mandatePrefix: 'CTX' },
  { name: 'Netflix', kind: 'streaming', minMinor: 1099n, maxMinor: 1799n, variable: false, mandatePrefix: 'NFX' },
  { name: 'Spotify', kind: 'streaming', minMinor: 1199n, maxMinor: 1799n, variable: false, mandatePrefix: 'SPT' },
  { name: 'Disney Plus', kind: 'streaming', minMinor: 499n, maxMinor: 1299n, variable: false, mandatePrefix: 'DSN' },
  { name: 'Aviva Insurance', kind: 'insurance', minMinor: 1800n, maxMinor: 6500n, variable: false, mandatePrefix: 'AVI' },
  { name: 'Direct Line', kind: 'insurance', minMinor: 2200n, maxMinor: 7200n, variable: false, mandatePrefix: 'DL' },
  { name: 'PureGym', kind: 'gym', minMinor: 1999n, maxMinor: 3499n, variable: false, mandatePrefix: 'PG' },
];

export const LANDLORDS = [
  'Harbour Lettings Ltd', 'Greenway Property Management', 'Mrs J Okonkwo', 'Cityscape Residential Ltd',
  'Mr D Fletcher', 'Parkside Homes Lettings', 'Northern Rental Co Ltd', 'K & S Property Partners',
] as const;

export const MORTGAGE_LENDERS = [
  'Kingsbridge Building Society', 'Albion Home Loans', 'Severnside Mortgages Ltd', 'Cairn Building Society',
] as const;

export interface SmallBusiness {
  readonly name: string;
  readonly legalStructure: 'Sole Trader' | 'Limited Company' | 'Partnership';
}

/** Businesses the sandbox customers run. */
export const SMALL_BUSINESSES: readonly SmallBusiness[] = [
  { name: 'Walker Joinery', legalStructure: 'Sole Trader' },
  { name: 'Bloom & Stem Florists Ltd', legalStructure: 'Limited Company' },
  { name: 'Pixel Forge Studio Ltd', legalStructure: 'Limited Company' },
  { name: 'Hilltop Dog Walking', legalStructure: 'Sole Trader' },
  { name: 'Crumb & Co Bakery Ltd', legalStructure: 'Limited Company' },
  { name: 'Brightspark Electrical', legalStructure: 'Sole Trader' },
  { name: 'Fern & Fable Bookshop', legalStructure: 'Partnership' },
  { name: 'Velo Repairs Ltd', legalStructure: 'Limited Company' },
  { name: 'Clearview Window Cleaning', legalStructure: 'Sole Trader' },
  { name: 'Harbour Yoga Studio Ltd', legalStructure: 'Limited Company' },
  { name: 'Northern Lights Photography', legalStructure: 'Sole Trader' },
  { name: 'Copperpot Catering Ltd', legalStructure: 'Limited Company' },
];

/** Who pays the sandbox businesses' invoices. */
export const BUSINESS_CLIENTS = [
  'Ashdown Estates Ltd', 'Riverside Primary School', 'Foxglove Events Ltd', 'Mr P Gallagher', 'Summit Dental Practice',
  'Oakleaf Care Homes Ltd', 'The Granary Cafe', 'Beacon Housing Association', 'Mrs L Haddad', 'Tidewater Marine Ltd',
] as const;

/** Whom the sandbox businesses pay. */
export const BUSINESS_SUPPLIERS = [
  'Jewson Builders Merchants', 'Booker Wholesale', 'Screwfix Direct', 'Viking Office Supplies', 'Covent Garden Flower Market',
  'HMRC VAT', 'Adobe Systems Software', 'Wholesale Paper Co Ltd', 'Parcelforce Worldwide', 'Regus Workspace',
] as const;

/** Payment references a person uses when paying a friend or a relative. */
export const PERSONAL_REFERENCES = ['Dinner', 'Tickets', 'Birthday', 'Thanks!', 'Holiday share', 'Bills share', 'Taxi', 'Present'] as const;

export const FAMILY_RELATIONS = ['Mum', 'Dad', 'Gran', 'Sis', 'Bro'] as const;

/** Euro-area IBAN shapes for counterparties: the BBAN is `bankCode` followed by `digits` digits. */
export const EUR_IBAN_COUNTRIES = [
  { country: 'DE', bankCode: '', digits: 18 },
  { country: 'FR', bankCode: '', digits: 23 },
  { country: 'NL', bankCode: 'INGB', digits: 10 },
  { country: 'IE', bankCode: 'BOFI', digits: 14 },
] as const;
