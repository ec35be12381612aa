#!/bin/sh
# Regenerates the test-only keys in this directory. They sign assertions sent
# to loopback test servers and nothing else: never use them anywhere real.
# Needs openssl and Python's `cryptography` (for the JWK forms).
set -eu
cd "$(dirname "$0")"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pkcs8.pem
openssl pkey -in rsa.pkcs8.pem -traditional -out rsa.pkcs1.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other-rsa.pkcs8.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pkcs8.pem
openssl ecparam -name prime256v1 -genkey -out p256.sec1.pem
openssl pkcs8 -topk8 -nocrypt -in p256.sec1.pem -out p256.pkcs8.pem
openssl ecparam -name secp384r1 -genkey -noout -out p384.sec1.pem
openssl pkcs8 -topk8 -nocrypt -in p384.sec1.pem -out p384.pkcs8.pem
openssl genpkey -algorithm ed25519 -out ed25519.pkcs8.pem
openssl pkcs8 -topk8 -in p256.pkcs8.pem -passout pass:test-only -out encrypted.pkcs8.pem
python3 - <<'PY'
import base64, json
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, ec, ed25519

def b64(n, length=None):
    data = n.to_bytes(length or (n.bit_length() + 7) // 8, "big") if isinstance(n, int) else n
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def jwks(name, kid):
    key = serialization.load_pem_private_key(open(f"{name}.pkcs8.pem", "rb").read(), None)
    if isinstance(key, rsa.RSAPrivateKey):
        p = key.private_numbers(); pub = p.public_numbers
        public = {"kty": "RSA", "n": b64(pub.n), "e": b64(pub.e)}
        private = dict(public, d=b64(p.d), p=b64(p.p), q=b64(p.q), dp=b64(p.dmp1), dq=b64(p.dmq1), qi=b64(p.iqmp))
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        size = (key.curve.key_size + 7) // 8
        crv = {"secp256r1": "P-256", "secp384r1": "P-384"}[key.curve.name]
        p = key.private_numbers(); pub = p.public_numbers
        public = {"kty": "EC", "crv": crv, "x": b64(pub.x, size), "y": b64(pub.y, size)}
        private = dict(public, d=b64(p.private_value, size))
    else:
        raw = serialization.Encoding.Raw
        x = key.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
        d = key.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        public = {"kty": "OKP", "crv": "Ed25519", "x": b64(x)}
        private = dict(public, d=b64(d))
    json.dump(public, open(f"{name}.public.jwk.json", "w"), indent=2)
    json.dump(dict(private, kid=kid), open(f"{name}.jwk.json", "w"), indent=2)

for name in ["rsa", "other-rsa", "p256", "p384", "ed25519"]:
    jwks(name, f"test-{name}")

json.dump({
    "type": "service_account",
    "project_id": "test-project",
    "private_key_id": "test-service-account-key",
    "private_key": open("rsa.pkcs8.pem").read(),
    "client_email": "robot@test-project.iam.example.com",
    "client_id": "100000000000000000001",
    "token_uri": "https://oauth2.example.com/token",
}, open("service-account.json", "w"), indent=2)
PY
