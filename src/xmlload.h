/*
 * xmlload.h — libxml2, loaded the first time warta calls it.
 *
 * warta is not linked against libxml2: xmlload.c defines the libxml2
 * functions warta uses (the same names and prototypes as libxml2's
 * headers), and the first call dlopen()s XMLLOAD_SONAME and forwards to
 * it. libxml2 brings ICU and the C++ runtime, whose loading and
 * relocation was half the start-up of every command (5.2 ms against
 * 2.5), though `search`, `feeds`, `log` and `stats` never parse XML or
 * HTML. The same scheme as curlload.h, for the same reason.
 *
 * A libxml2 that cannot be loaded is a broken installation: the first
 * call prints one line (what dlopen said and the package to install) and
 * exits with status 1. Not thread-safe on the first call; warta calls
 * libxml2 from one thread.
 *
 * A function of libxml2 used anywhere in warta must be added to the table
 * in xmlload.c, or the link fails (which is the reminder). libxml2's
 * xmlFree is a variable, not a function: call xml_free() instead.
 */
#ifndef WARTA_XMLLOAD_H
#define WARTA_XMLLOAD_H

/* libxml2's SONAME since 2.0 (2000); the Makefile may override it. */
#ifndef XMLLOAD_SONAME
#define XMLLOAD_SONAME "libxml2.so.2"
#endif

/* libxml2's xmlFree(p): for memory libxml2 returned. NULL is fine. */
void xml_free(void *p);

#endif
