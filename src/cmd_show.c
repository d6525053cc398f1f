/* cmd_show.c — show log stats commands. Placeholder until its issue lands. */
#include <stdio.h>

#include "cli.h"
#include "util.h"

const char usage_show[] =
	"Usage: warta show ...\n";

int cmd_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("show: not written yet");
	return EXIT_FAIL;
}

const char usage_log[] =
	"Usage: warta log ...\n";

int cmd_log(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("log: not written yet");
	return EXIT_FAIL;
}

const char usage_stats[] =
	"Usage: warta stats ...\n";

int cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("stats: not written yet");
	return EXIT_FAIL;
}

