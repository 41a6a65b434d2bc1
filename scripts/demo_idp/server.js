// Vägen's demo identity provider: a real OpenID provider (the npm package oidc-provider,
// certified by the OpenID Foundation) with the demo staff and their directory groups.
// `make run` starts it beside Vägen (Procfile), the tests start it on a free port
// (tests/oidc_idp.py). Nothing here is a mock: authorisation code flow with PKCE, RS256
// ID tokens signed with a key made at start and published at /jwks, userinfo, and
// RP-initiated logout (end_session) that ends the session here.
//
// Configuration (environment):
//   VAGEN_IDP_PORT           port to listen on (default 8001)
//   VAGEN_IDP_ISSUER         issuer URL (default http://127.0.0.1:<port>)
//   VAGEN_IDP_USERS_FILE     JSON file with the demo users (default users.json here);
//                            read again at every sign-in, so a test can move a user to
//                            another group between two sign-ins
//   VAGEN_IDP_CLIENT_ID / VAGEN_IDP_CLIENT_SECRET  the one client, Vägen
//   VAGEN_IDP_REDIRECT_URIS  comma-separated callback URLs of Vägen
//   VAGEN_IDP_POST_LOGOUT_URIS comma-separated URLs Vägen may be sent back to after logout
//   VAGEN_IDP_ID_TOKEN_TTL   lifetime of an ID token in seconds (default 600)
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.VAGEN_IDP_PORT || 8001);
const issuer = process.env.VAGEN_IDP_ISSUER || `http://127.0.0.1:${port}`;
const usersFile = process.env.VAGEN_IDP_USERS_FILE || join(here, 'users.json');
const list = (value, fallback) => (value || fallback).split(',').map((s) => s.trim()).filter(Boolean);

function loadUsers() {
  return JSON.parse(readFileSync(usersFile, 'utf8')).users;
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>Detta är demokommunens inloggningstjänst (en riktig OpenID-leverantör, bara för demo och test).</p>
${body}
</main>
</body>
</html>`;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `demo-${Date.now()}`, alg: 'RS256', use: 'sig' };

const configuration = {
  clients: [{
    client_id: process.env.VAGEN_IDP_CLIENT_ID || 'vagen',
    client_secret: process.env.VAGEN_IDP_CLIENT_SECRET || 'vagen-demo-secret',
    redirect_uris: list(process.env.VAGEN_IDP_REDIRECT_URIS, 'http://127.0.0.1:8000/oidc/callback/'),
    post_logout_redirect_uris: list(process.env.VAGEN_IDP_POST_LOGOUT_URIS, 'http://127.0.0.1:8000/logga-in/'),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['vagen-demo-idp-cookie-key-not-secret'] },
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  ttl: {
    IdToken: Number(process.env.VAGEN_IDP_ID_TOKEN_TTL || 600),
    AccessToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 8 * 60 * 60,
    Grant: 8 * 60 * 60,
  },
  features: {
    devInteractions: { enabled: false }, // our own Swedish page below
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.type = 'html';
        ctx.body = page('Logga ut från kommunens konto', `${form}
<p>Vill du logga ut även från kommunens inloggningstjänst?</p>
<button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, logga ut</button>
<button type="submit" form="op.logoutForm">Nej, förbli inloggad</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.type = 'html';
        ctx.body = page('Utloggad', '<p>Du är utloggad från kommunens inloggningstjänst.</p>');
      },
    },
  },
  async findAccount(ctx, sub) {
    const user = loadUsers().find((candidate) => candidate.sub === sub);
    if (!user) return undefined;
    return {
      accountId: sub,
      async claims() {
        // Read again: the groups are those the directory holds now.
        const current = loadUsers().find((candidate) => candidate.sub === sub) || user;
        return {
          sub,
          preferred_username: current.username,
          name: `${current.given_name} ${current.family_name}`,
          given_name: current.given_name,
          family_name: current.family_name,
          email: current.email,
          email_verified: true,
          groups: current.groups,
        };
      },
    };
  },
  // Vägen is the municipality's own application: no consent screen (first party).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile email groups');
    grant.addOIDCClaims(['groups']);
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Fel vid inloggning', `<p>${escapeHtml(out.error)}: ${escapeHtml(out.error_description || '')}</p>`);
  },
};

const provider = new Provider(issuer, configuration);
provider.proxy = true;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// The interaction: the tester picks a demo user (a real IdP would ask for a password,
// an e-tjänstekort or BankID here).
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([A-Za-z0-9_-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== match[1]) ctx.throw(400);
  if (ctx.method === 'POST') {
    const form = await readForm(ctx.req);
    const user = loadUsers().find((candidate) => candidate.sub === form.get('sub'));
    if (!user) ctx.throw(400, 'okänd användare');
    const redirectTo = await provider.interactionResult(
      ctx.req, ctx.res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(redirectTo);
    return undefined;
  }
  const buttons = loadUsers().map((user) => `<li><form method="post" action="/interaction/${details.uid}">
<input type="hidden" name="sub" value="${escapeHtml(user.sub)}">
<button type="submit">Logga in som ${escapeHtml(user.given_name)} ${escapeHtml(user.family_name)}</button>
<span>(${escapeHtml(user.username)}; grupper: ${escapeHtml(user.groups.join(', ') || 'inga')})</span>
</form></li>`).join('\n');
  ctx.type = 'html';
  ctx.body = page('Logga in med kommunens konto', `<p>Välj en demoanvändare:</p><ul>${buttons}</ul>`);
  return undefined;
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`demo-idp: ${issuer} (användare i ${usersFile})`);
});
