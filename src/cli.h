/*
 * cli.h — what main.c gives every command: the global options, the
 * archive path, help and usage errors. Commands live in cmd_*.c, one file
 * per family; each is `int cmd_NAME(int argc, char **argv)` where argv[0]
 * is the command name, and returns an exit status of util.h.
 */
#ifndef WARTA_CLI_H
#define WARTA_CLI_H

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;   /* one line for `warta --help` */
	const char *usage;     /* the whole `warta NAME --help` text */
};

/* The table main.c dispatches on, ended by a NULL name. */
extern const struct command commands[];
const struct command *command_find(const char *name);

/* --db as given on the command line, or NULL. */
extern const char *opt_db;

/* The archive path: --db, else $WARTA_DB, else
 * $XDG_DATA_HOME/warta/warta.db, else ~/.local/share/warta/warta.db.
 * The string is malloc'd once and lives until exit. */
const char *db_path(void);

/* Print the command's --help text to stdout; returns EXIT_DONE. */
int cmd_help(const char *name);

/* "warta: NAME: MESSAGE" and "Try 'warta NAME --help'." on stderr;
 * returns EXIT_USAGE. */
int usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse a non-negative integer option value; usage error text if bad. */
int parse_count(const char *name, const char *opt, const char *s, long *out);

/* 1 when colour and other terminal niceties are allowed on fd (a terminal,
 * NO_COLOR unset, TERM not "dumb"). */
int use_color(int fd);

#define CMD(name) int cmd_##name(int argc, char **argv)
CMD(add); CMD(remove); CMD(feeds); CMD(import); CMD(fetch); CMD(search);
CMD(show); CMD(export); CMD(parse); CMD(backfill); CMD(log); CMD(stats);
#undef CMD

extern const char usage_add[], usage_remove[], usage_feeds[], usage_import[],
	usage_fetch[], usage_search[], usage_show[], usage_export[],
	usage_parse[], usage_backfill[], usage_log[], usage_stats[];

#endif
