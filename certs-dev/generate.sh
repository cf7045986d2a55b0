#!/usr/bin/env bash
# DEV ONLY - NOT FOR PRODUCTION.
# Generates a throw-away PKI (a dev root CA and one key + certificate per party) so that the hub,
# its tests and the stub partners can run on one machine with real TLS and real XML signatures.
# Never use these keys in production: production keys and trust stores come from configuration
# (hub.crypto.*, quarkus.tls.*), normally through HUB_CRYPTO_* / QUARKUS_TLS_* environment variables.
#
# Usage: certs-dev/generate.sh [OUT_DIR]      (default: certs-dev/out, next to this script)
# Needs only openssl (3.x) and the JDK's keytool on PATH. Safe to run again: it replaces what it made.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/out}"
password=changeit
days=3650
root_subject="/C=VN/O=DEV ONLY - NOT FOR PRODUCTION/CN=Huu Nghi Border Hub DEV Root CA"

# party code (= certificate CN) | OU (role) | O (organisation) | C
parties=(
  "HUB|hub|Huu Nghi Border Gate Exchange Hub|VN"
  "VN-NSW|national single window|Vietnam National Single Window|VN"
  "ASEAN-SW|asean single window gateway|ASEAN Single Window Gateway Vietnam|VN"
  "CN-NANNING-CUSTOMS|foreign customs|Nanning Customs District|CN"
  "VN-CUSTOMS|border agency|Lang Son Customs Department|VN"
  "VN-BORDER-GUARD|border agency|Huu Nghi Border Guard Station|VN"
  "VN-PLANT-QUARANTINE|border agency|Plant Quarantine Sub-Department Region VII|VN"
  "VN-ANIMAL-QUARANTINE|border agency|Animal Health Sub-Department Lang Son|VN"
  "VN-HEALTH-QUARANTINE|border agency|Lang Son Health Quarantine Centre|VN"
  "VN-PORT-OPERATOR|port and warehouse operator|Huu Nghi Smart Gate Yard Operator|VN"
  "EQUIPMENT-GATEWAY|gate equipment gateway|Huu Nghi Gate Equipment Gateway|VN"
  "HUB-OPERATOR|hub operations|Huu Nghi Border Gate Hub Operations Desk|VN"
)

for tool in openssl keytool; do
  command -v "$tool" >/dev/null || { echo "generate.sh: '$tool' not found on PATH" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/hub-dev-pki.XXXXXX")"
trap 'rm -rf "$work"' EXIT
stage="$work/out"        # everything is built here first; OUT_DIR is only touched once all succeeded
mkdir -p "$stage"
umask 077                # keys and keystores: owner-only while being written

# Run a command quietly; on failure show what it printed and stop.
quiet() {
  local log="$work/log.$BASHPID"
  if ! "$@" >"$log" 2>&1; then
    echo "generate.sh: failed: $*" >&2
    cat "$log" >&2
    exit 1
  fi
}

# Our own openssl config, so nothing depends on /etc/ssl/openssl.cnf (or on OPENSSL_CONF set by the user).
cat > "$work/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
string_mask = utf8only
[dn]
[v3_root_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_party]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
export OPENSSL_CONF="$work/openssl.cnf"

# --- dev root CA -------------------------------------------------------------------------------
quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$stage/root-ca.key"
quiet openssl req -x509 -new -key "$stage/root-ca.key" -sha256 -days "$days" -subj "$root_subject" \
  -config "$work/openssl.cnf" -extensions v3_root_ca -set_serial "0x$(openssl rand -hex 16)" \
  -out "$stage/root-ca.pem"

# --- one key, certificate and keystore per party (in parallel: RSA key generation dominates) ------
party() {   # party code, OU, O, C [, stem, key algorithm: rsa (RSA-2048, the default) or ec (ECDSA P-256)]
  local party="$1" unit="$2" organisation="$3" country="$4" stem="${5:-${1,,}}" algorithm="${6:-rsa}"
  if [[ "$algorithm" == ec ]]; then
    quiet openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$stage/$stem.key"
  else
    quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$stage/$stem.key"   # PKCS#8 PEM
  fi
  quiet openssl req -new -key "$stage/$stem.key" -sha256 -config "$work/openssl.cnf" \
    -subj "/C=$country/O=$organisation/OU=$unit/CN=$party" -out "$work/$stem.csr"
  quiet openssl x509 -req -in "$work/$stem.csr" -CA "$stage/root-ca.pem" -CAkey "$stage/root-ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$days" -sha256 \
    -extfile "$work/openssl.cnf" -extensions v3_party -out "$stage/$stem.pem"
  # Key + full chain (party cert, root). AES-256-CBC/PBKDF2 + HMAC-SHA256: readable by Java 17+ without -legacy.
  quiet openssl pkcs12 -export -name "$stem" -inkey "$stage/$stem.key" -in "$stage/$stem.pem" \
    -certfile "$stage/root-ca.pem" -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg SHA256 \
    -passout "pass:$password" -out "$stage/$stem.p12"
}
pids=()
for entry in "${parties[@]}"; do
  IFS='|' read -r party unit organisation country <<< "$entry"
  party "$party" "$unit" "$organisation" "$country" &
  pids+=("$!")
  echo "$party ${party,,} CN=$party,OU=$unit,O=$organisation,C=$country" >> "$stage/parties.txt"
done
# the hub's second signing key, ECDSA P-256 (hub.crypto.keystore=certs-dev/out/hub-ec.p12, key-alias hub-ec)
party HUB hub "Huu Nghi Border Gate Exchange Hub" VN hub-ec ec &
pids+=("$!")
echo "HUB hub-ec CN=HUB,OU=hub,O=Huu Nghi Border Gate Exchange Hub,C=VN (ECDSA P-256)" >> "$stage/parties.txt"
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
(( failed == 0 )) || exit 1

# --- trust store: the root alone, as a trusted-certificate entry Java recognises ------------------
quiet keytool -importcert -noprompt -storetype PKCS12 -keystore "$stage/truststore.p12" \
  -storepass "$password" -alias dev-root-ca -file "$stage/root-ca.pem"

echo "DEV ONLY - NOT FOR PRODUCTION. Throw-away keys from certs-dev/generate.sh; all passwords are 'changeit'." \
  > "$stage/README-DEV-ONLY.txt"

# Certificates, the party list and the notice are public; keys and keystores stay owner-only.
chmod 644 "$stage"/*.pem "$stage/parties.txt" "$stage/README-DEV-ONLY.txt" "$stage/truststore.p12"

# --- replace what a previous run made (only files this script owns) -------------------------------
mkdir -p "$out"
owned=(root-ca.pem root-ca.key truststore.p12 parties.txt README-DEV-ONLY.txt)
if [[ -f "$out/parties.txt" ]]; then            # stems from the previous run, in case a party was dropped
  while read -r _ old_stem _; do
    if [[ "$old_stem" =~ ^[a-z0-9-]+$ ]]; then owned+=("$old_stem.pem" "$old_stem.key" "$old_stem.p12"); fi
  done < "$out/parties.txt"
fi
for entry in "${parties[@]}"; do
  stem="${entry%%|*}"; stem="${stem,,}"
  owned+=("$stem.pem" "$stem.key" "$stem.p12")
done
owned+=(hub-ec.pem hub-ec.key hub-ec.p12)
for file in "${owned[@]}"; do rm -f "$out/$file"; done
cp -p "$stage"/* "$out"/

echo "dev PKI (DEV ONLY) written to $out: root CA + ${#parties[@]} parties, passwords 'changeit'"
