#!/bin/sh
# make-certs.sh — how the test server's certificates were made (once; they
# are committed):
#   local.*    self-signed, 127.0.0.1 and localhost, valid to 2054 ({tls})
#   other.*    self-signed, other.invalid only, valid to 2054      ({tls-other})
#   ca.*       a test CA, valid to 2054
#   expired.*  127.0.0.1 and localhost, signed by ca, expired in 2021
#              ({tls-expired}; an expired self-signed certificate would
#              be reported as "self-signed", not as expired)
#   bundle.crt local + other + ca, for a client that should trust them
#              ({cacert}): then {tls} verifies, {tls-other} fails on the
#              host name and {tls-expired} on the date. A client without
#              it refuses all three.
set -eu
cd "$(dirname "$0")"
days=10000
openssl req -x509 -newkey rsa:2048 -nodes -keyout local.key -out local.crt \
	-days $days -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt \
	-days $days -subj "/CN=other.invalid" \
	-addext "subjectAltName=DNS:other.invalid" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt \
	-days $days -subj "/CN=warta test CA" 2>/dev/null
# `openssl req` cannot date a certificate in the past; `openssl ca` can.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
touch "$t/index.txt"
echo 01 > "$t/serial"
cat > "$t/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
database = $t/index.txt
serial = $t/serial
new_certs_dir = $t
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[p]
commonName = supplied
[req]
distinguished_name = dn
[dn]
CNF
openssl req -new -newkey rsa:2048 -nodes -keyout expired.key \
	-out "$t/expired.csr" -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
openssl ca -batch -config "$t/ca.cnf" -cert ca.crt -keyfile ca.key \
	-in "$t/expired.csr" -out expired.crt -notext \
	-startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
cat local.crt other.crt ca.crt > bundle.crt
