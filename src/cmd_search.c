/* cmd_search.c — search commands. Placeholder until its issue lands. */
#include <stdio.h>

#include "cli.h"
#include "util.h"

const char usage_search[] =
	"Usage: warta search ...\n";

int cmd_search(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("search: not written yet");
	return EXIT_FAIL;
}

