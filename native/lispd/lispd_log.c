/*
 * lispd_log.c - the daemon's log sink (lispd_log.h). The log is process state by nature
 * (one stderr, one syslog connection), so it lives in this file's statics, not in an
 * engine.
 */
#include "lispd_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

static int log_level = LISP_LOG_INFO;
static int log_to = LISPD_LOG_TO_STDERR;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void lispd_log_open(int to)
{
    if (log_to == LISPD_LOG_TO_SYSLOG && to != LISPD_LOG_TO_SYSLOG)
        closelog();
    if (to == LISPD_LOG_TO_SYSLOG && log_to != LISPD_LOG_TO_SYSLOG)
        openlog("lispd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
    log_to = to;
}

void lispd_log_close(void)
{
    if (log_to == LISPD_LOG_TO_SYSLOG)
        closelog();
    log_to = LISPD_LOG_TO_STDERR;
}

void lispd_log_set_level(int level)
{
    if (level >= LISP_LOG_DEBUG && level <= LISP_LOG_ERROR)
        log_level = level;
}

int lispd_log_level(void)
{
    return log_level;
}

bool lispd_log_enabled(int level)
{
    return level >= log_level;
}

void lispd_log(int level, const char *fmt, ...)
{
    static const int priorities[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
    char line[1024];
    va_list ap;

    if (!lispd_log_enabled(level))
        return;
    if (level < LISP_LOG_DEBUG || level > LISP_LOG_ERROR)
        level = LISP_LOG_ERROR;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (log_to == LISPD_LOG_TO_SYSLOG)
        syslog(priorities[level], "%s", line);
    else
        fprintf(stderr, "lispd: %s: %s\n", level_names[level], line);
}

int lispd_log_level_parse(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof level_names / sizeof level_names[0]; i++)
        if (strcmp(name, level_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *lispd_log_level_name(int level)
{
    return level >= LISP_LOG_DEBUG && level <= LISP_LOG_ERROR ? level_names[level] : "unknown";
}

int lispd_log_to_parse(const char *name)
{
    if (strcmp(name, "stderr") == 0)
        return LISPD_LOG_TO_STDERR;
    if (strcmp(name, "syslog") == 0)
        return LISPD_LOG_TO_SYSLOG;
    return -1;
}
