// SPDX-License-Identifier: Apache-2.0
// A next-auth v4 session cookie for `make bench`, made the way next-auth makes one (HKDF-SHA256
// of the secret with an empty salt, compact JWE alg=dir enc=A256GCM) and cut into chunks of
// 3933 characters as next-auth's SessionStore does; prints the Cookie header.
//   node bench/mint-session.mjs SECRET [PAD_BYTES] [COOKIE_NAME]
// PAD_BYTES of claim text ("pad") make the token longer: about 7400 give three chunks.
import { createCipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';

const [secret, padBytes = '0', name = 'next-auth.session-token'] = process.argv.slice(2);
if (!secret) {
    console.error('usage: mint-session.mjs SECRET [PAD_BYTES] [COOKIE_NAME]');
    process.exit(2);
}
const CHUNK = 3933;
const key = Buffer.from(hkdfSync('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32));
const now = Math.floor(Date.now() / 1000);
const claims = {
    name: 'Alice', email: 'alice@example.com', picture: null, sub: 'bench-1',
    ...(Number(padBytes) > 0 ? { pad: 'x'.repeat(Number(padBytes)) } : {}),
    iat: now, exp: now + 30 * 86400, jti: randomUUID(),
};
const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
const iv = randomBytes(12);
const cipher = createCipheriv('aes-256-gcm', key, iv);
cipher.setAAD(Buffer.from(header));
const ct = Buffer.concat([cipher.update(JSON.stringify(claims)), cipher.final()]);
const token = [header, '', iv.toString('base64url'), ct.toString('base64url'),
    cipher.getAuthTag().toString('base64url')].join('.');
const parts = [];
if (token.length <= CHUNK) {
    parts.push(`${name}=${token}`);
} else {
    for (let i = 0; i * CHUNK < token.length; i++) {
        parts.push(`${name}.${i}=${token.slice(i * CHUNK, (i + 1) * CHUNK)}`);
    }
}
process.stdout.write(parts.join('; '));
