/*
 * lispd_log.h - lispd's log: one threshold, one sink (stderr or syslog), used by the
 * daemon and by the engines' log and trace callbacks. Levels are the engines' LISP_LOG_*.
 */
#ifndef LISPD_LOG_H
#define LISPD_LOG_H

#include <stdbool.h>

#include "lisp_host.h"

enum {
    LISPD_LOG_TO_STDERR = 0,
    LISPD_LOG_TO_SYSLOG = 1
};

/* Where log lines go from now on (syslog: openlog as "lispd", facility daemon). */
void lispd_log_open(int to);
void lispd_log_close(void);
void lispd_log_set_level(int level);
int lispd_log_level(void);
/* Whether a line of this level would be written (skip formatting traces when not). */
bool lispd_log_enabled(int level);

void lispd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define lispd_debug(...) lispd_log(LISP_LOG_DEBUG, __VA_ARGS__)
#define lispd_info(...) lispd_log(LISP_LOG_INFO, __VA_ARGS__)
#define lispd_warn(...) lispd_log(LISP_LOG_WARN, __VA_ARGS__)
#define lispd_error(...) lispd_log(LISP_LOG_ERROR, __VA_ARGS__)

/* "debug", "info", "warn", "error" <-> LISP_LOG_*; -1 for an unknown name. */
int lispd_log_level_parse(const char *name);
const char *lispd_log_level_name(int level);
/* "stderr", "syslog" <-> LISPD_LOG_TO_*; -1 for an unknown name. */
int lispd_log_to_parse(const char *name);

#endif /* LISPD_LOG_H */
