/* main.c — global options and the dispatch to one command. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"
#include "util.h"

const char *opt_db;

const struct command commands[] = {
	{"add", cmd_add, "subscribe to a feed (or find the feed of a site)", usage_add},
	{"remove", cmd_remove, "unsubscribe; archived entries stay unless --purge", usage_remove},
	{"feeds", cmd_feeds, "list subscriptions and how their fetches went", usage_feeds},
	{"import", cmd_import, "subscribe to the feeds of an OPML file", usage_import},
	{"fetch", cmd_fetch, "fetch due feeds, parse them, archive every entry", usage_fetch},
	{"search", cmd_search, "full-text search of the archive", usage_search},
	{"show", cmd_show, "one archived entry, with its earlier versions", usage_show},
	{"export", cmd_export, "write subscriptions (OPML) or entries (Atom, RSS, JSON Feed)", usage_export},
	{"parse", cmd_parse, "parse one document and print it as JSON Feed", usage_parse},
	{"backfill", cmd_backfill, "pull a WordPress feed's older pages into the archive", usage_backfill},
	{"log", cmd_log, "fetch history", usage_log},
	{"stats", cmd_stats, "feeds, entries, revisions, archive size", usage_stats},
	{NULL, NULL, NULL, NULL},
};

static const char main_usage[] =
	"Usage: warta [--db PATH] COMMAND [ARGS]\n"
	"\n"
	"warta archives news feeds: it fetches RSS, Atom and JSON Feed, keeps\n"
	"every entry and every edit of it in one SQLite file, and searches it.\n"
	"\n"
	"Global options:\n"
	"  --db PATH     the archive (default: $WARTA_DB, else\n"
	"                $XDG_DATA_HOME/warta/warta.db)\n"
	"  -h, --help    show this help\n"
	"  -V, --version show the version\n"
	"\n"
	"Commands:\n";

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void print_main_usage(FILE *fp)
{
	fputs(main_usage, fp);
	for (const struct command *c = commands; c->name; c++)
		fprintf(fp, "  %-9s %s\n", c->name, c->summary);
	fputs("\nRun 'warta help COMMAND' or 'warta COMMAND --help' for a "
	      "command's options.\n", fp);
}

int cmd_help(const char *name)
{
	const struct command *c = name ? command_find(name) : NULL;
	if (!name) {
		print_main_usage(stdout);
		return EXIT_DONE;
	}
	if (!c) {
		warnmsg("no command '%s'. Run 'warta --help' for the list.", name);
		return EXIT_USAGE;
	}
	fputs(c->usage, stdout);
	return EXIT_DONE;
}

int usage_error(const char *name, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0) {
		buf_grow(&b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b.p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (name)
		warnmsg("%s: %s", name, b.p ? b.p : "");
	else
		warnmsg("%s", b.p ? b.p : "");
	fprintf(stderr, "Try 'warta %s%s--help'.\n", name ? name : "",
	        name ? " " : "");
	buf_free(&b);
	return EXIT_USAGE;
}

int parse_count(const char *name, const char *opt, const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0) {
		usage_error(name, "%s wants a number, not '%s'", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

int use_color(int fd)
{
	const char *term = getenv("TERM");
	const char *no = getenv("NO_COLOR");
	if (no && *no)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fd);
}

const char *db_path(void)
{
	static char *path;
	if (path)
		return path;
	const char *env = getenv("WARTA_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (opt_db && *opt_db)
		path = xstrdup(opt_db);
	else if (env && *env)
		path = xstrdup(env);
	else if (xdg && *xdg == '/')
		path = xasprintf("%s/warta/warta.db", xdg);
	else
		path = xasprintf("%s/.local/share/warta/warta.db",
		                 home && *home ? home : ".");
	return path;
}

int main(int argc, char **argv)
{
	archive_sqlite_init();
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0) {
			if (++i >= argc)
				return usage_error(NULL, "--db needs a path");
			opt_db = argv[i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			opt_db = a + 5;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_main_usage(stdout);
			return EXIT_DONE;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("warta %s\n", WARTA_VERSION);
			return EXIT_DONE;
		} else {
			return usage_error(NULL, "unknown option '%s' (global "
			                   "options come before the command)", a);
		}
	}
	if (i >= argc) {
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[i];
	if (strcmp(name, "help") == 0)
		return cmd_help(i + 1 < argc ? argv[i + 1] : NULL);
	const struct command *c = command_find(name);
	if (!c) {
		warnmsg("no command '%s'. Run 'warta --help' for the list.",
		        name);
		return EXIT_USAGE;
	}
	for (int k = i + 1; k < argc; k++) {
		if (strcmp(argv[k], "--") == 0)
			break;
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0)
			return cmd_help(name);
	}
	return c->run(argc - i, argv + i);
}
