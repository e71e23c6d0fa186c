import type { Product } from '../../../../core/index.ts';
import type { Exposed } from '../../../../modules/accounts/index.ts';

/**
 * OB v4.0 `OBReadProduct2` entry: the account's product by name and type. Current accounts are
 * OB product types; savings are `Other` with a description, as the code list has no savings type.
 */
export function toObProduct(p: Exposed<Product & { accountId: string }>) {
  const type = p.type === 'Savings' ? 'Other' : p.type;
  return {
    ProductName: p.name.slice(0, 350),
    ProductId: p.id,
    AccountId: p.accountRef,
    ProductType: type,
    ...(type === 'Other' ? { OtherProductType: { Name: 'Savings account', Description: `${p.name}: an easy-access savings account in ${p.currency}` } } : {}),
  };
}
