/* cmd_export.c — export commands. Placeholder until its issue lands. */
#include <stdio.h>

#include "cli.h"
#include "util.h"

const char usage_export[] =
	"Usage: warta export ...\n";

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("export: not written yet");
	return EXIT_FAIL;
}

