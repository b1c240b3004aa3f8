/** The e-mail domain of generated officials: what tells them from the named demo accounts people sign in with. */
export const SYNTHETIC_DOMAIN = 'synthetic.capacita.test';
