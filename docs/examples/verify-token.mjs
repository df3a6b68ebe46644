// Checks a Virtual Queue access token on the protected site's server, offline, against the queue
// server's published keys (JWKS). Node 20+, one package: npm install jose
//
//   VQ_ISSUER=https://queue.example.org VQ_AUDIENCE=https://shop.example.org node verify-token.mjs <token>
//
// VQ_ISSUER    the queue server's public URL (its VQ_HTTP_PUBLIC_URL): the tokens' iss
// VQ_AUDIENCE  the room's waitingRoom.audience: the tokens' aud
// VQ_JWKS_URL  where the keys are, if not at <VQ_ISSUER>/.well-known/jwks.json
//
// Prints the token's claims and exits 0 when it lets the person in; says why not and exits 1 otherwise.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const issuer = process.env.VQ_ISSUER;
const audience = process.env.VQ_AUDIENCE;
// fetched on first use and kept; fetched again when a token names a key not seen yet (a rotation)
const keys = createRemoteJWKSet(new URL(process.env.VQ_JWKS_URL ?? `${issuer}/.well-known/jwks.json`));

try {
  // ES256 only: a token signed any other way (alg "none", an HMAC keyed with the public key) is refused
  const { payload } = await jwtVerify(process.argv[2] ?? '', keys,
    { issuer, audience, algorithms: ['ES256'], typ: 'at+jwt' });
  console.log(JSON.stringify(payload)); // sub: the ticket id; exp: the end of the session
} catch (e) {
  console.error(`not let in: ${e.code ?? e.name}: ${e.message}`);
  process.exit(1);
}
