/* cmd_fetch.c — fetch backfill commands. Placeholder until its issue lands. */
#include <stdio.h>

#include "cli.h"
#include "util.h"

const char usage_fetch[] =
	"Usage: warta fetch ...\n";

int cmd_fetch(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("fetch: not written yet");
	return EXIT_FAIL;
}

const char usage_backfill[] =
	"Usage: warta backfill ...\n";

int cmd_backfill(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("backfill: not written yet");
	return EXIT_FAIL;
}

