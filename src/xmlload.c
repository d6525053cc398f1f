/*
 * xmlload.c — the libxml2 functions warta calls, forwarded to libxml2
 * once it is loaded (see xmlload.h for why).
 *
 * Each wrapper has libxml2's own prototype from its headers, so the
 * compiler checks every one against the headers in use (written against
 * 2.9.14, Debian 12's). The functions that free take NULL without
 * loading anything, as libxml2's do.
 */
#include <stdlib.h>

/* The wrappers are not exported: the unit tests link libxml2 itself too,
 * and a libxml2 calling its own functions through the PLT must not land
 * in them. */
#pragma GCC visibility push(hidden)
#include <libxml/HTMLparser.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlwriter.h>

#include "util.h"
#include "xmlload.h"

#define XML_FUNCS(X)                                                      \
	X(htmlAutoCloseTag) X(htmlCtxtReadMemory) X(htmlEntityLookup)     \
	X(htmlFreeParserCtxt) X(htmlNewParserCtxt) X(htmlReadMemory)      \
	X(htmlTagLookup) X(xmlAttrSerializeTxtContent)                    \
	X(xmlBufferContent) X(xmlBufferCreate) X(xmlBufferEmpty)          \
	X(xmlBufferFree) X(xmlBufferLength) X(xmlBuildURI)                \
	X(xmlCreatePushParserCtxt) X(xmlCtxtGetLastError)                 \
	X(xmlCtxtReadMemory) X(xmlCtxtUseOptions) X(xmlDictLookup)        \
	X(xmlDictOwns) X(xmlDictSize) X(xmlDocGetRootElement)             \
	X(xmlEncodeSpecialChars) X(xmlFreeDoc) X(xmlFreeParserCtxt)       \
	X(xmlFreeTextWriter) X(xmlGetLineNo) X(xmlGetProp)                \
	X(xmlInitParser) X(xmlNewParserCtxt) X(xmlNewTextWriter)          \
	X(xmlNodeGetContent) X(xmlOutputBufferClose)                      \
	X(xmlOutputBufferCreateFile) X(xmlParseChunk)                     \
	X(xmlSetExternalEntityLoader) X(xmlSetStructuredErrorFunc)        \
	X(xmlStopParser) X(xmlSwitchEncoding)                             \
	X(xmlTextWriterEndDocument) X(xmlTextWriterEndElement)            \
	X(xmlTextWriterSetIndent) X(xmlTextWriterSetIndentString)         \
	X(xmlTextWriterStartDocument) X(xmlTextWriterStartElement)        \
	X(xmlTextWriterWriteAttribute) X(xmlTextWriterWriteElement)       \
	X(xmlURIEscapeStr)

static struct {
#define MEMBER(name) __typeof__(&name) name;
	XML_FUNCS(MEMBER)
#undef MEMBER
	xmlFreeFunc *free;  /* libxml2's xmlFree, a variable */
} fn;
static void *lib;

static void load(void)
{
	if (lib)
		return;
	void *h = dl_open_or_exit(XMLLOAD_SONAME, "libxml2", "libxml2");
#define LOOKUP(name)                                                      \
	fn.name = (__typeof__(&name))dl_sym_or_exit(h, XMLLOAD_SONAME,    \
	                                            #name,                \
	                                            "libxml2 2.9 or later");
	XML_FUNCS(LOOKUP)
#undef LOOKUP
	fn.free = dl_sym_or_exit(h, XMLLOAD_SONAME, "xmlFree",
	                         "libxml2 2.9 or later");
	lib = h;
}

void xml_free(void *p)
{
	if (p) {  /* only libxml2's own memory, so it is loaded */
		load();
		(*fn.free)(p);
	}
}

int htmlAutoCloseTag(htmlDocPtr doc, const xmlChar *name, htmlNodePtr elem)
{
	load();
	return fn.htmlAutoCloseTag(doc, name, elem);
}

htmlDocPtr htmlCtxtReadMemory(xmlParserCtxtPtr ctxt, const char *buffer,
                              int size, const char *URL, const char *encoding,
                              int options)
{
	load();
	return fn.htmlCtxtReadMemory(ctxt, buffer, size,
	                             URL, encoding, options);
}

const htmlEntityDesc *htmlEntityLookup(const xmlChar *name)
{
	load();
	return fn.htmlEntityLookup(name);
}

void htmlFreeParserCtxt(htmlParserCtxtPtr ctxt)
{
	if (!ctxt)
		return;
	load();
	fn.htmlFreeParserCtxt(ctxt);
}

htmlParserCtxtPtr htmlNewParserCtxt(void)
{
	load();
	return fn.htmlNewParserCtxt();
}

htmlDocPtr htmlReadMemory(const char *buffer, int size, const char *URL,
                          const char *encoding, int options)
{
	load();
	return fn.htmlReadMemory(buffer, size, URL, encoding, options);
}

const htmlElemDesc *htmlTagLookup(const xmlChar *tag)
{
	load();
	return fn.htmlTagLookup(tag);
}

void xmlAttrSerializeTxtContent(xmlBufferPtr buf, xmlDocPtr doc,
                                xmlAttrPtr attr, const xmlChar *string)
{
	load();
	fn.xmlAttrSerializeTxtContent(buf, doc, attr, string);
}

const xmlChar*xmlBufferContent(const xmlBuffer *buf)
{
	load();
	return fn.xmlBufferContent(buf);
}

xmlBufferPtr xmlBufferCreate(void)
{
	load();
	return fn.xmlBufferCreate();
}

void xmlBufferEmpty(xmlBufferPtr buf)
{
	load();
	fn.xmlBufferEmpty(buf);
}

void xmlBufferFree(xmlBufferPtr buf)
{
	if (!buf)
		return;
	load();
	fn.xmlBufferFree(buf);
}

int xmlBufferLength(const xmlBuffer *buf)
{
	load();
	return fn.xmlBufferLength(buf);
}

xmlChar *xmlBuildURI(const xmlChar *URI, const xmlChar *base)
{
	load();
	return fn.xmlBuildURI(URI, base);
}

xmlParserCtxtPtr xmlCreatePushParserCtxt(xmlSAXHandlerPtr sax, void *user_data,
                                         const char *chunk, int size,
                                         const char *filename)
{
	load();
	return fn.xmlCreatePushParserCtxt(sax, user_data, chunk,
	                                  size, filename);
}

xmlErrorPtr xmlCtxtGetLastError(void *ctx)
{
	load();
	return fn.xmlCtxtGetLastError(ctx);
}

xmlDocPtr xmlCtxtReadMemory(xmlParserCtxtPtr ctxt, const char *buffer, int size,
                            const char *URL, const char *encoding, int options)
{
	load();
	return fn.xmlCtxtReadMemory(ctxt, buffer, size, URL, encoding, options);
}

int xmlCtxtUseOptions(xmlParserCtxtPtr ctxt, int options)
{
	load();
	return fn.xmlCtxtUseOptions(ctxt, options);
}

const xmlChar *xmlDictLookup(xmlDictPtr dict, const xmlChar *name, int len)
{
	load();
	return fn.xmlDictLookup(dict, name, len);
}

int xmlDictOwns(xmlDictPtr dict, const xmlChar *str)
{
	load();
	return fn.xmlDictOwns(dict, str);
}

int xmlDictSize(xmlDictPtr dict)
{
	load();
	return fn.xmlDictSize(dict);
}

xmlNodePtr xmlDocGetRootElement(const xmlDoc *doc)
{
	load();
	return fn.xmlDocGetRootElement(doc);
}

xmlChar *xmlEncodeSpecialChars(const xmlDoc *doc, const xmlChar *input)
{
	load();
	return fn.xmlEncodeSpecialChars(doc, input);
}

void xmlFreeDoc(xmlDocPtr cur)
{
	if (!cur)
		return;
	load();
	fn.xmlFreeDoc(cur);
}

void xmlFreeParserCtxt(xmlParserCtxtPtr ctxt)
{
	if (!ctxt)
		return;
	load();
	fn.xmlFreeParserCtxt(ctxt);
}

void xmlFreeTextWriter(xmlTextWriterPtr writer)
{
	if (!writer)
		return;
	load();
	fn.xmlFreeTextWriter(writer);
}

long xmlGetLineNo(const xmlNode *node)
{
	load();
	return fn.xmlGetLineNo(node);
}

xmlChar *xmlGetProp(const xmlNode *node, const xmlChar *name)
{
	load();
	return fn.xmlGetProp(node, name);
}

void xmlInitParser(void)
{
	load();
	fn.xmlInitParser();
}

xmlParserCtxtPtr xmlNewParserCtxt(void)
{
	load();
	return fn.xmlNewParserCtxt();
}

xmlTextWriterPtr xmlNewTextWriter(xmlOutputBufferPtr out)
{
	load();
	return fn.xmlNewTextWriter(out);
}

xmlChar *xmlNodeGetContent(const xmlNode *cur)
{
	load();
	return fn.xmlNodeGetContent(cur);
}

int xmlOutputBufferClose(xmlOutputBufferPtr out)
{
	load();
	return fn.xmlOutputBufferClose(out);
}

xmlOutputBufferPtr xmlOutputBufferCreateFile(FILE *file,
                                             xmlCharEncodingHandlerPtr encoder)
{
	load();
	return fn.xmlOutputBufferCreateFile(file, encoder);
}

int xmlParseChunk(xmlParserCtxtPtr ctxt, const char *chunk, int size,
                  int terminate)
{
	load();
	return fn.xmlParseChunk(ctxt, chunk, size, terminate);
}

void xmlSetExternalEntityLoader(xmlExternalEntityLoader f)
{
	load();
	fn.xmlSetExternalEntityLoader(f);
}

void xmlSetStructuredErrorFunc(void *ctx, xmlStructuredErrorFunc handler)
{
	load();
	fn.xmlSetStructuredErrorFunc(ctx, handler);
}

void xmlStopParser(xmlParserCtxtPtr ctxt)
{
	load();
	fn.xmlStopParser(ctxt);
}

int xmlSwitchEncoding(xmlParserCtxtPtr ctxt, xmlCharEncoding enc)
{
	load();
	return fn.xmlSwitchEncoding(ctxt, enc);
}

int xmlTextWriterEndDocument(xmlTextWriterPtr writer)
{
	load();
	return fn.xmlTextWriterEndDocument(writer);
}

int xmlTextWriterEndElement(xmlTextWriterPtr writer)
{
	load();
	return fn.xmlTextWriterEndElement(writer);
}

int xmlTextWriterSetIndent(xmlTextWriterPtr writer, int indent)
{
	load();
	return fn.xmlTextWriterSetIndent(writer, indent);
}

int xmlTextWriterSetIndentString(xmlTextWriterPtr writer, const xmlChar *str)
{
	load();
	return fn.xmlTextWriterSetIndentString(writer, str);
}

int xmlTextWriterStartDocument(xmlTextWriterPtr writer, const char *version,
                               const char *encoding, const char *standalone)
{
	load();
	return fn.xmlTextWriterStartDocument(writer, version, encoding,
	                                     standalone);
}

int xmlTextWriterStartElement(xmlTextWriterPtr writer, const xmlChar *name)
{
	load();
	return fn.xmlTextWriterStartElement(writer, name);
}

int xmlTextWriterWriteAttribute(xmlTextWriterPtr writer, const xmlChar *name,
                                const xmlChar *content)
{
	load();
	return fn.xmlTextWriterWriteAttribute(writer, name, content);
}

int xmlTextWriterWriteElement(xmlTextWriterPtr writer, const xmlChar *name,
                              const xmlChar *content)
{
	load();
	return fn.xmlTextWriterWriteElement(writer, name, content);
}

xmlChar *xmlURIEscapeStr(const xmlChar *str, const xmlChar *list)
{
	load();
	return fn.xmlURIEscapeStr(str, list);
}

#pragma GCC visibility pop
