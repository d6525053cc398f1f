#!/bin/sh
# make-certs.sh — how the test server's certificates were made (once; they
# are committed). Dated from 2020 so that a machine whose clock is behind
# does not find them "not yet valid":
#   local.*    self-signed, 127.0.0.1 and localhost, 2020-2054 ({tls})
#   other.*    self-signed, other.invalid only, 2020-2054      ({tls-other})
#   ca.*       a test CA, 2020-2054
#   expired.*  127.0.0.1 and localhost, signed by ca, 2020-2021
#              ({tls-expired}; an expired self-signed certificate would
#              be reported as "self-signed", not as expired)
#   bundle.crt local + other + ca, for a client that should trust them
#              ({cacert}): then {tls} verifies, {tls-other} fails on the
#              host name and {tls-expired} on the date. A client without
#              it refuses all three.
set -eu
cd "$(dirname "$0")"
# `openssl req -x509` cannot date a certificate in the past; `openssl ca`
# can.
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
x509_extensions = ext
[ext]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[p]
commonName = supplied
[req]
distinguished_name = dn
[dn]
CNF

cert() { # name, subject CN, extensions, start, end, [issuer]
	openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" \
		-out "$t/$1.csr" -subj "/CN=$2" $3 2>/dev/null
	if [ $# -ge 6 ]; then
		sign="-cert $6.crt -keyfile $6.key"
	else
		sign="-selfsign -keyfile $1.key"
	fi
	# shellcheck disable=SC2086
	openssl ca -batch -config "$t/ca.cnf" $sign -in "$t/$1.csr" \
		-out "$1.crt" -notext -startdate "$4" -enddate "$5" 2>/dev/null
}

from=20200101000000Z
to=20540101000000Z
leaf='-addext basicConstraints=critical,CA:TRUE'
cert local 127.0.0.1 "$leaf -addext subjectAltName=IP:127.0.0.1,DNS:localhost" $from $to
cert other other.invalid "$leaf -addext subjectAltName=DNS:other.invalid" $from $to
cert ca "warta test CA" "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign" $from $to
cert expired 127.0.0.1 "-addext subjectAltName=IP:127.0.0.1,DNS:localhost" $from 20210101000000Z ca
cat local.crt other.crt ca.crt > bundle.crt
