// A real OpenID Connect provider for the single sign-on tests: the npm
// package `oidc-provider` with its in-memory adapter, one confidential client
// and a fixed list of accounts. People sign in at the provider's own
// development login page (any password is accepted).
//
//   OIDC_TEST_REDIRECT_URIS=http://127.0.0.1:8000/account/sso/callback/ \
//     node tests/oidc/provider.mjs
//
// It listens on a free port on 127.0.0.1 and prints one line,
// "ready <issuer>", once it answers.
//
// Environment: OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET (defaults below),
// OIDC_TEST_REDIRECT_URIS (comma-separated, required), OIDC_TEST_PORT
// (default: any free port).

import http from 'node:http';

import Provider from 'oidc-provider';

// The login name typed at the provider is the account id.
const ACCOUNTS = {
  ada: { email: 'Ada.Lovelace@NHS.net', email_verified: true, name: 'Ada Lovelace' },
  ben: { email: 'ben.okafor@nhs.net', email_verified: false, name: 'Ben Okafor' },
  cara: { email: 'cara.singh@nhs.net', email_verified: true, name: 'Cara Singh' },
  dev: { email_verified: false, name: 'Dev Without Email' },
};

const clientId = process.env.OIDC_TEST_CLIENT_ID || 'msknet-test';
const clientSecret = process.env.OIDC_TEST_CLIENT_SECRET || 'msknet-test-secret-0123456789';
const redirectUris = (process.env.OIDC_TEST_REDIRECT_URIS || '')
  .split(',').map((uri) => uri.trim()).filter(Boolean);
if (redirectUris.length === 0) {
  console.error('Set OIDC_TEST_REDIRECT_URIS to the callback URL(s) of the site under test.');
  process.exit(2);
}

const server = http.createServer();
server.listen(Number(process.env.OIDC_TEST_PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    cookies: { keys: ['msknet-test-provider-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      const account = ACCOUNTS[id];
      if (!account) {
        return undefined;
      }
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...account };
        },
      };
    },
    // A first-party client, as an organisation's own registration is: the
    // person is not asked to consent to sharing their email address.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  server.on('request', provider.callback());
  console.log(`ready ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
