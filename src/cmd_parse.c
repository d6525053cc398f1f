/* cmd_parse.c — parse commands. Placeholder until its issue lands. */
#include <stdio.h>

#include "cli.h"
#include "util.h"

const char usage_parse[] =
	"Usage: warta parse ...\n";

int cmd_parse(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("parse: not written yet");
	return EXIT_FAIL;
}

