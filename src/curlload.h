/*
 * curlload.h — libcurl, loaded the first time warta calls it.
 *
 * warta is not linked against libcurl: curlload.c defines the libcurl
 * functions warta uses (the same names and prototypes as <curl/curl.h>),
 * and the first call dlopen()s CURLLOAD_SONAME and forwards to it. libcurl
 * brings some thirty libraries (TLS, Kerberos, LDAP, SSH, IDN, …) whose
 * loading and relocation was two thirds of the start-up of every command,
 * though only fetch, add, backfill and a URL given to parse use the
 * network (and ingest, curl_url). `warta search` and `show` now start
 * without them.
 *
 * A libcurl that cannot be loaded is a broken installation: the first
 * call prints one line (what dlopen said and the package to install) and
 * exits with status 1. Callers see libcurl's own behaviour otherwise.
 * Not thread-safe on the first call: the main thread loads it (a fetch
 * calls curl_global_init and curl_multi_init before the fetcher's and
 * the parse thread start; they call libcurl too).
 *
 * A function of libcurl used anywhere in warta must be added to the table
 * in curlload.c, or the link fails (which is the reminder).
 */
#ifndef WARTA_CURLLOAD_H
#define WARTA_CURLLOAD_H

/* libcurl's SONAME since 7.16 (2006); the Makefile may override it. */
#ifndef CURLLOAD_SONAME
#define CURLLOAD_SONAME "libcurl.so.4"
#endif

#endif
