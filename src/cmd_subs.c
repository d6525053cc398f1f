/* cmd_subs.c — add remove feeds import commands. Placeholder until its issue lands. */
#include <stdio.h>

#include "cli.h"
#include "util.h"

const char usage_add[] =
	"Usage: warta add ...\n";

int cmd_add(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("add: not written yet");
	return EXIT_FAIL;
}

const char usage_remove[] =
	"Usage: warta remove ...\n";

int cmd_remove(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("remove: not written yet");
	return EXIT_FAIL;
}

const char usage_feeds[] =
	"Usage: warta feeds ...\n";

int cmd_feeds(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("feeds: not written yet");
	return EXIT_FAIL;
}

const char usage_import[] =
	"Usage: warta import ...\n";

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	warnmsg("import: not written yet");
	return EXIT_FAIL;
}

