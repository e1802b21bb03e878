#!/usr/bin/env python3
# Writes the seed corpora under fuzz/corpus/<target>/ from the test vectors and a few
# hand-made inputs. Run from the top directory; the output is committed, so this only
# needs running again when the seeds should change.
import hashlib, json, os, urllib.parse

V = "t/unit/vectors"
OUT = "fuzz/corpus"
seeds = {}

def add(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    seeds.setdefault(target, []).append((name, data))

jwe = [l.rstrip("\n").split("\t") for l in open(f"{V}/nextauth-jwe.txt") if l.strip() and not l.startswith("#")]
checks = [l.rstrip("\n").split("\t") for l in open(f"{V}/nextauth-checks.txt") if l.strip() and not l.startswith("#")]
rejects = [l.rstrip("\n").split("\t") for l in open(f"{V}/nextauth-jwe-reject.txt") if l.strip() and not l.startswith("#")]
jws = json.load(open(f"{V}/jws/tokens.json"))

token = jwe[0][0]
for i, row in enumerate(jwe[:4]):
    add("jwe", f"nextauth-{i}", row[0])
    add("session", f"token-{i}", b"\x00" + row[0].encode())
    add("session", f"claims-{i}", b"\x01" + row[1].encode())
for i, row in enumerate(rejects[:6]):
    add("jwe", f"reject-{i}", row[0])
for i, row in enumerate(checks[:3]):
    add("jwe", f"check-{i}", row[4])
    add("session", f"check-{i}", b"\x02" + row[5].encode())
add("session", "claims-extra", b"\x01" + b'{"name":null,"email":"a@b.c","sub":"1","exp":1798421417,"iat":1795829417,"nbf":1,"role":["x"]}')

# cookie headers, plain and chunked
big = token * 12
parts = [big[i:i + 3933] for i in range(0, len(big), 3933)]
add("cookie", "plain", f"next-auth.csrf-token=abc%7Cdef; next-auth.session-token={token}; theme=dark")
add("cookie", "secure", f'__Host-next-auth.csrf-token="x%7Cy"; __Secure-next-auth.session-token={token}')
add("cookie", "callback", "next-auth.callback-url=http%3A%2F%2Flocalhost%3A3000%2Fprivate; a=1; a=2")
add("chunk", "plain", b"\x00" + f"next-auth.session-token={token}".encode())
add("chunk", "chunked", b"\x00" + "; ".join(f"next-auth.session-token.{i}={v}" for i, v in enumerate(parts)).encode())
add("chunk", "gap", b"\x00next-auth.session-token.0=a; next-auth.session-token.2=b; next-auth.session-token=c")
add("chunk", "quoted", b'\x00next-auth.session-token.1="b%20"; next-auth.session-token.0=a; next-auth.session-token.01=x')
add("chunk", "roundtrip", b"\x01" + big.encode())
add("chunk", "roundtrip-odd", b"\x01a;b=c%25 d\"e")

# JWS / ID tokens
for c in jws["cases"]:
    name = "".join(ch if ch.isalnum() else "-" for ch in c["name"])[:40]
    add("jws", name, c["token"])
add("idtoken", "claims", json.dumps(jws["claims"]))
cl = dict(jws["claims"], aud=["mod-nextauth", "other"], azp="mod-nextauth", nbf=1767225600, email_verified="true")
add("idtoken", "aud-array", json.dumps(cl))
add("idtoken", "expired", json.dumps(dict(jws["claims"], exp=1)))
for f in ("jwks.json", "jwks-ec256.json", "jwks-rotated.json"):
    add("jwks", f.replace(".json", ""), open(f"{V}/jws/{f}").read())

# forms and queries
add("form", "signin", "csrfToken=" + "a" * 64 + "&callbackUrl=http%3A%2F%2Flocalhost%3A3000%2F&json=true")
add("form", "credentials", "username=alice%40example.com&password=w%C3%B6nder+land&redirect=false")
add("form", "query", "prompt=consent&login_hint=bob&state=evil&client_id=x&redirect_uri=https://evil&scope=a+b")
add("form", "callback", "code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&iss=https%3A%2F%2Fidp.example.com")
add("form", "malformed", "a=%zz&b=%00&=x&c&&d=%e2%82%ac")

# callbackUrl
for i, v in enumerate(["/private", "https://app.example.com/x?y=1#z", "http://127.0.0.1:8080/a",
                       "https://sub.example.org/p", "//evil.com", "https://evil.com", "https://app.example.com.evil.com/",
                       "http://localhost:3000/", "https://partner.example.net:8443/x", "https://[::1]:8443/"]):
    add("callback", f"url-{i}", v)
for i, l in enumerate(open("t/data/open-redirect-payloads.txt", encoding="utf-8", errors="surrogateescape")):
    if i % 40 == 0 and l.strip():
        add("callback", f"redirect-{i}", l.rstrip("\n").encode("utf-8", "surrogateescape"))

add("i18n", "ko", "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7")
add("i18n", "en", "en-GB, fr;q=0.5, *;q=0.1")
add("i18n", "q", "fr;q=1.0, ko;q=0.001, en;q=0")

add("oauth_token", "oidc", json.dumps({"access_token": "at", "token_type": "Bearer", "id_token": jws["cases"][0]["token"], "expires_in": 3600, "scope": "openid email"}))
add("oauth_token", "github", '{"access_token":"gho_x","token_type":"bearer","scope":["repo","user"],"expires_in":"28800"}')
add("oauth_token", "error", '{"error":"bad_verification_code","error_description":"The code passed is incorrect"}')
add("oauth_profile", "oidc", json.dumps(jws["claims"]))
add("oauth_profile", "github", '{"login":"octocat","id":1,"avatar_url":"https://github.com/images/error/octocat_happy.gif","name":null,"email":"Octocat@GitHub.com"}')
add("oauth_profile", "discord", '{"id":"80351110224678912","username":"Nelly","discriminator":"1337","avatar":"a_8342729096ea3675442027381ff50dfe","email":"nelly@discord.com"}')
add("oauth_profile", "gitlab", '{"id":1,"username":"john_smith","name":"John\\u0007Smith","avatar_url":"http://localhost:3000/a.png"}')
add("oauth_profile", "emails", '[{"email":"x@y.z","verified":true,"primary":false},{"email":"P@Q.R","verified":true,"primary":true}]')
add("discovery", "https", json.dumps({"issuer": "https://idp.example.com", "authorization_endpoint": "https://idp.example.com/auth",
    "token_endpoint": "https://idp.example.com/token", "jwks_uri": "https://idp.example.com/jwks", "userinfo_endpoint": "https://idp.example.com/me",
    "end_session_endpoint": "https://idp.example.com/logout", "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"]}))
add("discovery", "http", json.dumps({"issuer": "http://127.0.0.1:8082", "authorization_endpoint": "http://127.0.0.1:8082/auth",
    "token_endpoint": "http://127.0.0.1:8082/token", "jwks_uri": "http://127.0.0.1:8082/jwks", "userinfo_endpoint": None}))

# token records (fuzz_tokens: 0 raw blob, 1 plaintext sealed by the harness, 2 claims merge)
# and claim rules (fuzz_claim: Require line, NextAuthPassClaims line, claims JSON)
sid = "AAECAwQFBgcICQoLDA0ODw"
kc = {"sub": "f:1", "groups": ["/admins", "/staff"], "realm_access": {"roles": ["admin", "user"]}, "email_verified": True}
rec = {"v": 1, "sid": sid, "prov": "keycloak", "sub": "f:1", "at": "eyJ.a.t", "rt": "eyJ.r.t", "it": "eyJ.i.t",
       "tt": "Bearer", "scope": "openid", "exp": 1795830000, "upd": 1795829400, "ver": 2, "claims": kc}
add("tokens", "record", b"\x01" + json.dumps(rec, separators=(",", ":")).encode())
add("tokens", "record-minimal", b"\x01" + json.dumps({"v": 1, "sid": sid, "exp": 0, "upd": 0, "ver": 1, "err": "RefreshAccessTokenError"}).encode())
add("tokens", "record-other-sid", b"\x01" + json.dumps(dict(rec, sid="_-_-_-_-_-_-_-_-_-_-_w")).encode())
add("tokens", "record-bad-type", b"\x01" + json.dumps(dict(rec, exp="1795830000")).encode())
add("tokens", "blob-junk", b"\x00" + (jwe[0][0]).encode())
add("tokens", "merge", b"\x02" + json.dumps(dict(kc, nonce="n", at_hash="h")).encode() + b"\n" + b'{"sub":"2","picture":"https://x/p.png"}')
add("claim", "keycloak", "groups /adm* admins\nname,groups realm_access.roles\n" + json.dumps(kc))
add("claim", "okta", "groups admins Everyone\ngroups email_verified\n" + '{"groups":["admins","Everyone"],"email_verified":"true"}')
add("claim", "azure", "roles Admin\ngroups, roles\n" + '{"groups":["8f2c5a1e-7b3d-4c2a-9e61-0d5f3b7a2c14"],"roles":["Admin"],"n":0.1}')
add("claim", "bad-names", "a..b x\nname,,groups\n{}")

tok = "0" * 32 + "a" * 32
add("csrf", "current", tok + "|" + hashlib.sha256((tok + "secret").encode()).hexdigest() + "\n" + tok)
add("csrf", "old", tok + "|" + hashlib.sha256((tok + "old secret").encode()).hexdigest())
add("csrf", "wrong", tok + "|" + "f" * 64 + "\nabc")

add("kv", "provider", 'name="Corp SSO" issuer=https://sso.example.com checks=state,pkce maxAge=3600')
add("kv", "theme", "colorScheme=dark brandColor=#1a2b3c logo=/logo.png signIn=/auth/signin")
add("kv", "cookie", 'domain=.example.com authn=file,ldap "name=a \\" b"')
add("kv", "bad", 'checks=, maxAge=99999999999 name="unbalanced')

add("email", "plain", "Alice@Example.COM")
add("email", "fullwidth", "bob\uff20example.com")
add("email", "display", "Bob <bob@example.com>")
add("email", "spaces", "  carol@example.org  ")
add("username", "email", "Alice@Example.com")
add("username", "plain", "alice")
add("username", "odd", "a@b@c")
add("username", "admin", "x.admin@y.corp")
for i, (m, path) in enumerate([(0, "/signin"), (2, "/signin/github"), (2, "/callback/corp"), (0, "/error/x"), (3, "/session"), (2, "/_log"), (0, "/logo/github.svg"), (0, "//")]):
    add("route", f"r{i}", bytes([m]) + path.encode())

# logout and access tokens (fuzz_logout: the header's typ, a newline, the payload; no
# newline: no typ), against the harness's issuer, client and now
ev = "http://schemas.openid.net/event/backchannel-logout"
lt = {"iss": "https://idp.example.com", "aud": "mod-nextauth", "iat": 1767225590, "exp": 1767225890,
      "jti": "bWJq", "sub": "248289761001", "sid": "08a5019c", "events": {ev: {}}}
add("logout", "logout", "logout+jwt\n" + json.dumps(lt))
add("logout", "logout-sid-untyped", json.dumps(dict({k: v for k, v in lt.items() if k != "sub"}, aud=["x", "mod-nextauth"])))
add("logout", "logout-nonce", "JWT\n" + json.dumps(dict(lt, nonce="n")))
at = {"iss": "https://idp.example.com", "aud": ["https://api.example.com"], "iat": 1767225590, "nbf": 1767225590,
      "exp": 1767229190, "sub": "248289761001", "client_id": "mod-nextauth", "scope": "openid api:read",
      "email": "jane@example.com"}
add("logout", "access", "at+jwt\n" + json.dumps(at))
add("logout", "access-expired", "application/at+jwt\n" + json.dumps(dict(at, exp=1767225590)))
add("logout", "sids", "AAAAAAAAAAAAAAAAAAAAAA BBBBBBBBBBBBBBBBBBBBBB junk CCCCCCCCCCCCCCCCCCCCCC")
add("logout", "time", "1767225600")

for target, items in seeds.items():
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    for name, data in items:
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
print(", ".join(f"{t}: {len(v)}" for t, v in sorted(seeds.items())))
