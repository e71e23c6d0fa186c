/**
 * What the PSU's pages post, in every journey (the OAuth interaction and the Berlin Group SCA
 * redirect): the login step's username and password, the one-time code, and the decision with the
 * accounts chosen (one field per check box, so one or several) and the payment's binding.
 */
export interface PsuForm {
  username?: string;
  password?: string;
  otp?: string;
  cancel?: string;
  decision?: string;
  accounts?: string | string[];
  binding?: string;
}
