/* parse_json.c — JSON Feed 1.0 / 1.1 documents into the model. */
#include "parse_int.h"

int parse_json_feed(struct parser *p, const char *data, size_t len,
                    const char **why)
{
	(void)p;
	(void)data;
	(void)len;
	*why = "not a feed: JSON Feed input is not supported yet";
	return -1;
}
