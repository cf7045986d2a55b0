#!/usr/bin/env bash
# DEV ONLY. Generates a throw-away PKI for the hub and every partner so that the hub, its tests and
# stub partners can run on one machine. Never use these keys in production: production keys and
# trust stores come from configuration (hub.crypto.*, quarkus.tls.*).
#
# Usage: certs-dev/generate.sh [OUT_DIR]      (default: certs-dev/out)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/out}"
password=changeit
days=3650

# party code (= certificate CN) | organisational unit | organisation | country
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
)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
rm -f "$out"/*.pem "$out"/*.key "$out"/*.p12 "$out"/parties.txt "$out"/README-DEV-ONLY.txt

cat > "$work/req.cnf" <<'EXT'
[req]
distinguished_name = dn
prompt = no
[dn]
[v3_ca]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EXT
cat > "$work/party.ext" <<'EXT'
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EXT

openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days "$days" \
  -subj "/C=VN/O=DEV ONLY - NOT FOR PRODUCTION/CN=Huu Nghi Border Hub DEV Root CA" \
  -keyout "$work/root-ca.key" -out "$out/root-ca.pem" -config "$work/req.cnf" -extensions v3_ca 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$work/root-ca.key" -out "$out/root-ca.key"

for entry in "${parties[@]}"; do
  IFS='|' read -r party unit organisation country <<< "$entry"
  stem="$(echo "$party" | tr '[:upper:]' '[:lower:]')"
  subject="/C=$country/O=$organisation/OU=$unit/CN=$party"
  openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "$subject" -config "$work/req.cnf" \
    -keyout "$work/$stem.key" -out "$work/$stem.csr" 2>/dev/null
  openssl x509 -req -in "$work/$stem.csr" -CA "$out/root-ca.pem" -CAkey "$out/root-ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days "$days" -sha256 -extfile "$work/party.ext" \
    -out "$out/$stem.pem" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$work/$stem.key" -out "$out/$stem.key"
  openssl pkcs12 -export -name "$stem" -inkey "$out/$stem.key" -in "$out/$stem.pem" \
    -certfile "$out/root-ca.pem" -passout "pass:$password" -out "$out/$stem.p12"
  echo "$party $stem CN=$party,OU=$unit,O=$organisation,C=$country" >> "$out/parties.txt"
done

rm -f "$out/truststore.p12"
keytool -importcert -noprompt -storetype PKCS12 -keystore "$out/truststore.p12" -storepass "$password" \
  -alias dev-root-ca -file "$out/root-ca.pem" >/dev/null 2>&1

echo "DEV ONLY - NOT FOR PRODUCTION. Regenerate with certs-dev/generate.sh; passwords are 'changeit'." \
  > "$out/README-DEV-ONLY.txt"
echo "dev PKI written to $out (${#parties[@]} parties, DEV ONLY)"
